package report

import (
	"archive/zip"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/officedoc"
	"github.com/healthcell/healthcell/score"
)

// DossierSheet is one score sheet of an application, scored.
type DossierSheet struct {
	Sheet  *healthcell.ScoreSheet
	Result score.Result
	// FrozenAt is when the copy shown was frozen by the step that relied
	// on it (申报, a check); zero for a sheet not yet submitted.
	FrozenAt time.Time
}

// Dossier is an application's dossier (申报材料): the application, its
// standard and its score sheets in workflow order (自查, 初验, 评估验收).
type Dossier struct {
	App      *healthcell.Application
	Campaign string // the campaign's name
	Standard *healthcell.Standard
	Sheets   []DossierSheet
	Issuer   string    // who submits it: the unit's name
	Date     time.Time // the document's date
}

// DossierDocName is the name of the document inside the dossier's zip.
const DossierDocName = "申报材料.docx"

// EvidencePath returns where an evidence file lies in the dossier's zip:
// 佐证材料/<sheet kind>/<item code> <item text, shortened>/<n>-<file name>,
// n counting the item's files from 1. Characters file systems refuse are
// replaced.
func EvidencePath(kind string, it *healthcell.Item, n int, ev *healthcell.Evidence) string {
	folder := it.Code + " " + shorten(it.Text, 16)
	name := safeName(ev.Name)
	if ext := ExtOfMIME(ev.MIME); ext != "" && !strings.HasSuffix(strings.ToLower(name), ext) {
		name += ext
	}
	return path.Join("佐证材料", kindName[kind], safeName(folder), strconv.Itoa(n)+"-"+name)
}

func shorten(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) > n {
		return string(r[:n])
	}
	return string(r)
}

// safeName replaces the characters Windows and zip tools refuse in a file
// name, and control characters; an empty name becomes 文件.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, strings.TrimSpace(s))
	s = strings.Trim(s, ". ")
	if s == "" {
		return "文件"
	}
	return shorten(s, 60)
}

// ExtOfMIME returns the file extension (".jpg") of an evidence type, or ""
// for a type evidence cannot have.
func ExtOfMIME(mime string) string {
	switch mime {
	case "image/jpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	case "image/gif":
		return ".gif"
	case "image/webp":
		return ".webp"
	case "application/pdf":
		return ".pdf"
	}
	return ""
}

// DossierDocument returns the dossier's document: the application's
// particulars, then per score sheet (the copy frozen when it was submitted,
// where there is one) each section's items with the answer and the score
// and, under the item, the value computed from the registers (numerator,
// denominator, when), an override with the officer's value and reason, and
// its evidence files (by their path in the zip), the subtotals per section,
// the total and the result.
func DossierDocument(d *Dossier) officedoc.Document {
	a, std := d.App, d.Standard
	var b []officedoc.Block
	add := func(bl ...officedoc.Block) { b = append(b, bl...) }
	facts := fmt.Sprintf("申报单位：%s。申报类型：%s。评价标准：%s（第%d版）。创建活动：%s。", a.UnitName, std.CellType, std.Name, std.Version, d.Campaign)
	if a.CertificateNo != "" {
		facts += fmt.Sprintf("已于%s命名，证书编号%s。", cnDate(a.NamedOn), a.CertificateNo)
	}
	add(officedoc.Heading{Level: 1, Text: "基本情况"}, officedoc.Paragraph{Text: facts})
	if len(d.Sheets) == 0 {
		add(officedoc.Paragraph{Text: "尚未填写评分表。"})
	}
	for _, ds := range d.Sheets {
		sh, res := ds.Sheet, ds.Result
		add(officedoc.Heading{Level: 1, Text: kindName[sh.Kind] + "评分表"},
			officedoc.Paragraph{Text: fmt.Sprintf("评分年度：%d年。总分：%s分（满分%s分%s）。结论：%s。", sh.Year, num(res.Total), num(res.Max), bonusText(res), verdict(std, res)) + frozenText(ds)})
		if n := sheetOverrides(sh); n > 0 {
			add(officedoc.Paragraph{Runs: []officedoc.Run{{Text: fmt.Sprintf("本表有%d项未采用台账计算值，改用了填报人填写的数值，见各项下的“人工改填”说明。", n), Bold: true}}})
		}
		section, rows := "", [][]string(nil)
		flush := func() {
			if section != "" {
				add(officedoc.Heading{Level: 2, Text: section},
					officedoc.Table{Header: []string{"编号", "评分内容及佐证材料", "分值", "填报", "得分"}, Rows: rows, Widths: []float64{2, 10, 2, 2.4, 2}})
			}
			rows = nil
		}
		for i := range std.Items {
			it := &std.Items[i]
			if it.Section != section {
				flush()
				section = it.Section
			}
			ans := sh.Answers[it.Code]
			text := it.Text
			if it.Veto {
				text = "【否决项】" + text
			}
			if c := computedText(it, ans); c != "" {
				text += "\n" + c
			}
			if o := overrideText(it, ans); o != "" {
				text += "\n" + o
			}
			if ans != nil && ans.Note != "" {
				text += "\n说明：" + ans.Note
			}
			if ans != nil && len(ans.Evidence) > 0 {
				text += "\n佐证材料："
				for n, ev := range ans.Evidence {
					text += "\n" + strconv.Itoa(n+1) + ". " + EvidencePath(sh.Kind, it, n+1, ev)
				}
			} else if it.Method == healthcell.MethodAttach || it.Evidence != "" {
				text += "\n佐证材料：无"
			}
			points := num(it.Points)
			if it.Bonus {
				points = "加" + points
			}
			answer := answerText(it, ans)
			if answer == "" {
				answer = "未填"
			}
			rows = append(rows, []string{it.Code, text, points, answer, num(res.Items[i].Score)})
		}
		flush()
		sub := make([][]string, 0, len(res.Sections)+1)
		for _, st := range res.Sections {
			sub = append(sub, []string{st.Section, num(st.Max), num(st.Score)})
		}
		sub = append(sub, []string{"合计", num(res.Max), num(res.Total)})
		add(officedoc.Table{Caption: kindName[sh.Kind] + "得分汇总", Header: []string{"一级指标", "分值", "得分"}, Rows: sub, Widths: []float64{8, 3, 3}})
	}
	return officedoc.Document{
		Title:  a.UnitName + std.CellType + "\n申报材料",
		Blocks: b,
		Issuer: d.Issuer,
		Date:   d.Date,
	}
}

func bonusText(res score.Result) string {
	if res.Bonus == 0 {
		return ""
	}
	return "，含加分" + num(res.Bonus) + "分"
}

// num formats a score without trailing zeros: 10, 7.5.
func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// WriteDossier writes the dossier's zip to w: the document first, then each
// evidence file at its EvidencePath, its bytes from open. Files appear once
// per item they are attached to. It returns the first error of open, of
// the document or of w.
func WriteDossier(w io.Writer, d *Dossier, open func(ev *healthcell.Evidence) ([]byte, error)) error {
	doc, err := officedoc.Bytes(DossierDocument(d))
	if err != nil {
		return err
	}
	stamp := d.Date
	if stamp.IsZero() {
		stamp = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	zw := zip.NewWriter(w)
	put := func(name string, data []byte, method uint16) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: stamp})
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		return err
	}
	if err := put(DossierDocName, doc, zip.Deflate); err != nil {
		return err
	}
	for _, ds := range d.Sheets {
		for i := range d.Standard.Items {
			it := &d.Standard.Items[i]
			ans := ds.Sheet.Answers[it.Code]
			if ans == nil {
				continue
			}
			for n, ev := range ans.Evidence {
				data, err := open(ev)
				if err != nil {
					return err
				}
				// Photos and PDFs are compressed already.
				if err := put(EvidencePath(ds.Sheet.Kind, it, n+1, ev), data, zip.Store); err != nil {
					return err
				}
			}
		}
	}
	return zw.Close()
}
