package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// progress draws a progress line on stderr when stderr is a terminal, and
// nothing otherwise (logs and pipes get only the final summary).
type progress struct {
	w     io.Writer
	label string
	total int64 // bytes of the file, for the bar; 0 draws a counter only
	start time.Time
	last  time.Time
}

// newProgress returns a progress line for w, or nil when w is not a
// terminal; the nil progress does nothing.
func newProgress(w io.Writer, label string, total int64) *progress {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return &progress{w: w, label: label, total: total, start: time.Now()}
}

// update redraws the line at most ten times a second: rows done and, when
// the fraction is known (done bytes of total), a bar.
func (p *progress) update(rows int, done int64) {
	if p == nil {
		return
	}
	now := time.Now()
	if now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	line := fmt.Sprintf("\r%s %d 行 %.0fs", p.label, rows, now.Sub(p.start).Seconds())
	if p.total > 0 && done > 0 {
		frac := min(float64(done)/float64(p.total), 1)
		n := int(frac * 30)
		line = fmt.Sprintf("\r%s [%s%s] %3.0f%% %d 行 %.0fs", p.label, strings.Repeat("#", n), strings.Repeat(".", 30-n), frac*100, rows, now.Sub(p.start).Seconds())
	}
	fmt.Fprint(p.w, line)
}

// end clears the line.
func (p *progress) end() {
	if p == nil {
		return
	}
	fmt.Fprint(p.w, "\r\033[K")
}

// countingReader counts the bytes read through it, for the progress bar.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}
