package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/healthcell/healthcell"
)

// QR codes and the printable poster of a village (issue 15, item 2). The
// code holds the full address of the village's quiz, publicBase + quizPath.

// qrPNGSize is the side of qr.png in pixels: sharp when printed at 6 cm.
const qrPNGSize = 512

// villageQuizURL returns the full quiz address of village code, after
// checking that it is a village; ENOTFOUND otherwise.
func (s *Server) villageQuizURL(r *http.Request) (string, *publicData, error) {
	code := healthcell.NormalizeCode(r.PathValue("code"))
	if healthcell.CodeLevel(code) != healthcell.LevelVillage {
		return "", nil, healthcell.Errorf(healthcell.ENOTFOUND, "error.not_found.division")
	}
	pd, err := s.publicData(r.Context(), code)
	if err != nil {
		return "", nil, err
	}
	return s.publicBase(r) + quizPath(code), pd, nil
}

// qrPNG is GET /public/{code}/qr.png.
func (s *Server) qrPNG(w http.ResponseWriter, r *http.Request) error {
	url, _, err := s.villageQuizURL(r)
	if err != nil {
		return err
	}
	png, err := s.qrImages.get("png "+url, func() ([]byte, error) { return qrcode.Encode(url, qrcode.Medium, qrPNGSize) })
	if err != nil {
		return fmt.Errorf("qr code: %w", err)
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Header().Set("Content-Length", strconv.Itoa(len(png)))
	_, err = w.Write(png)
	return err
}

// qrSVG is GET /public/{code}/qr.svg: the same code as a vector, for print.
func (s *Server) qrSVG(w http.ResponseWriter, r *http.Request) error {
	url, _, err := s.villageQuizURL(r)
	if err != nil {
		return err
	}
	svg, err := s.qrImages.get("svg "+url, func() ([]byte, error) {
		svg, err := qrSVGOf(url)
		return []byte(svg), err
	})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Header().Set("Content-Length", strconv.Itoa(len(svg)))
	_, err = w.Write(svg)
	return err
}

// qrCache keeps drawn QR codes by format and text: a village's code never
// changes while its address stays. It is emptied when it reaches
// qrCacheMax entries (the address follows the request's Host header when
// no public URL is configured, so a client could otherwise grow it).
type qrCache struct {
	mu sync.Mutex
	m  map[string][]byte
}

const qrCacheMax = 4096

// get returns the cached bytes of key, or makes, keeps and returns them;
// make's error is returned and nothing kept.
func (c *qrCache) get(key string, make func() ([]byte, error)) ([]byte, error) {
	c.mu.Lock()
	b, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return b, nil
	}
	b, err := make()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= qrCacheMax {
		c.m = map[string][]byte{}
	}
	c.m[key] = b
	c.mu.Unlock()
	return b, nil
}

// qrSVGOf draws the QR code of text as SVG: one path of dark runs per row,
// with the quiet zone around it; an error when text is too long for a code.
func qrSVGOf(text string) (string, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", fmt.Errorf("qr code: %w", err)
	}
	bits := q.Bitmap()
	n := len(bits)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`, n, n)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y, row := range bits {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", start, y, x-start, x-start)
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String(), nil
}

// posterPage is GET /public/{code}/poster: an A4 poster of a village with
// its quiz's QR code, to print (print CSS; the 打印 button in poster.js).
func (s *Server) posterPage(w http.ResponseWriter, r *http.Request) error {
	url, pd, err := s.villageQuizURL(r)
	if err != nil {
		return err
	}
	p := s.newPage(r, "poster.title")
	v := struct {
		Page
		Village *healthcell.PublicVillage
		QuizURL string
	}{Page: p, Village: pd.Village, QuizURL: url}
	v.Title = pd.Division.Name + " · " + p.T("poster.title")
	w.Header().Set("Cache-Control", publicMaxAge)
	return s.renderRoot(w, r, http.StatusOK, "public_poster", "publiclayout", v)
}
