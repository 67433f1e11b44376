// Package officedoctest opens generated .docx files with a real consumer in
// tests: LibreOffice converts them to PDF headlessly and poppler's
// pdftotext and pdfinfo read the text and the page size back.
//
// Conversion needs the Debian packages libreoffice-writer and poppler-utils
// (scripts/test installs them). Without them Convert skips the test, unless
// HEALTHCELL_REQUIRE_LIBREOFFICE=1, when it fails instead.
package officedoctest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
)

// PDF is what a reader sees of one converted document.
type PDF struct {
	Text   string  // pdftotext output, in reading order (a table column by column)
	Flat   string  // Text without any white space, for matching across line breaks
	Layout string  // pdftotext -layout output: a table row is one line
	Pages  int     // page count
	Width  float64 // page width in points (A4: 595.28)
	Height float64 // page height in points (A4: 841.89)
}

// Has reports whether the text of the PDF contains s, white space ignored.
func (p PDF) Has(s string) bool { return strings.Contains(p.Flat, flatten(s)) }

// HasRow reports whether one line of the laid-out text holds the cells in
// order (white space ignored): a table row, as a reader sees it.
func (p PDF) HasRow(cells ...string) bool {
	for _, line := range strings.Split(p.Layout, "\n") {
		line, at := flatten(line), 0
		ok := true
		for _, c := range cells {
			i := strings.Index(line[at:], flatten(c))
			if i < 0 {
				ok = false
				break
			}
			at += i + len(flatten(c))
		}
		if ok {
			return true
		}
	}
	return false
}

// A4 reports whether the page is A4 portrait, to the point.
func (p PDF) A4() bool {
	return int(p.Width+0.5) == 595 && int(p.Height+0.5) == 842
}

func flatten(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// Timeout bounds one LibreOffice run; a cold start on a busy machine takes
// tens of seconds.
var Timeout = 4 * time.Minute

// Convert converts every document (name → .docx bytes; names are file names
// without extension, letters, digits, - and _ only) to PDF in ONE LibreOffice
// run with a private profile, and returns each PDF by name. It fails the test
// when a document does not convert; it skips when the tools are missing
// (fails with HEALTHCELL_REQUIRE_LIBREOFFICE=1).
func Convert(t testing.TB, docs map[string][]byte) map[string]PDF {
	t.Helper()
	soffice := tool(t, "soffice", "libreoffice")
	pdftotext := tool(t, "pdftotext")
	pdfinfo := tool(t, "pdfinfo")

	dir := t.TempDir()
	profile := t.TempDir()
	names := make([]string, 0, len(docs))
	for name := range docs {
		names = append(names, name)
	}
	sort.Strings(names)
	args := []string{"--headless", "--norestore", "--nolockcheck", "--nodefault",
		"-env:UserInstallation=file://" + filepath.ToSlash(profile),
		"--convert-to", "pdf:writer_pdf_Export", "--outdir", dir}
	for _, name := range names {
		path := filepath.Join(dir, name+".docx")
		if err := os.WriteFile(path, docs[name], 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, path)
	}
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, args...)
	cmd.Env = append(os.Environ(), "HOME="+profile, "SAL_USE_VCLPLUGIN=svp")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, out)
	}
	pdfs := make(map[string]PDF, len(docs))
	for _, name := range names {
		path := filepath.Join(dir, name+".pdf")
		if _, err := os.Stat(path); err != nil {
			t.Fatalf("libreoffice did not convert %s.docx: %v\n%s", name, err, out)
		}
		text, err := exec.Command(pdftotext, "-enc", "UTF-8", path, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", name, err)
		}
		layout, err := exec.Command(pdftotext, "-layout", "-enc", "UTF-8", path, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext -layout %s: %v", name, err)
		}
		info, err := exec.Command(pdfinfo, path).Output()
		if err != nil {
			t.Fatalf("pdfinfo %s: %v", name, err)
		}
		p, err := parseInfo(string(info))
		if err != nil {
			t.Fatalf("pdfinfo %s: %v\n%s", name, err, info)
		}
		p.Text = string(text)
		p.Flat = flatten(p.Text)
		p.Layout = string(layout)
		pdfs[name] = p
	}
	return pdfs
}

// tool returns the path of the first of names found, or skips/fails.
func tool(t testing.TB, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("HEALTHCELL_REQUIRE_LIBREOFFICE") == "1" {
		t.Fatalf("%s not installed (apt-get install libreoffice-writer poppler-utils)", names[0])
	}
	t.Skipf("%s not installed; set HEALTHCELL_REQUIRE_LIBREOFFICE=1 to fail instead", names[0])
	return ""
}

var (
	pagesRe = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)
	sizeRe  = regexp.MustCompile(`(?m)^Page size:\s+([\d.]+) x ([\d.]+) pts`)
)

// parseInfo reads the page count and size from pdfinfo output.
func parseInfo(info string) (PDF, error) {
	var p PDF
	m := pagesRe.FindStringSubmatch(info)
	s := sizeRe.FindStringSubmatch(info)
	if m == nil || s == nil {
		return p, fmt.Errorf("no page count or size")
	}
	p.Pages, _ = strconv.Atoi(m[1])
	p.Width, _ = strconv.ParseFloat(s[1], 64)
	p.Height, _ = strconv.ParseFloat(s[2], 64)
	return p, nil
}
