package web

import (
	"net/http"
	"strings"
)

// Downloads are named in Chinese for the people who keep them
// (评分表-金穗社区-健康社区.xlsx): the Content-Disposition header carries the
// UTF-8 name as filename* (RFC 6266, encoded as RFC 5987 says) and an ASCII
// name as filename for clients that read only that.

// attachment returns a Content-Disposition value for a download: the ASCII
// fallback file name (quotes, backslashes and anything not printable ASCII
// dropped) and, when name is not empty, the UTF-8 name.
func attachment(fallback, name string) string {
	v := `attachment; filename="` + asciiName(fallback) + `"`
	if name != "" {
		v += "; filename*=UTF-8''" + rfc5987(fileSafe(name))
	}
	return v
}

// setDownload makes the response a download named name, with fallback for
// clients that read only ASCII names.
func setDownload(w http.ResponseWriter, fallback, name string) {
	w.Header().Set("Content-Disposition", attachment(fallback, name))
}

// asciiName keeps the printable ASCII of s except quotes and backslashes.
func asciiName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 0x20 && r < 0x7f && r != '"' && r != '\\' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// fileSafe replaces the characters that file systems refuse in a name
// (/ \ : * ? " < > |) and control characters with "_".
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, s)
}

// rfc5987 percent-encodes s as an RFC 5987 value: every byte of its UTF-8
// except the attr-chars (letters, digits and !#$&+-.^_`|~).
func rfc5987(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// downloadName joins the non-empty parts of a file name with "-" and adds
// the extension ext (without its dot).
func downloadName(ext string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, "-") + "." + ext
}

// shortStandardName is a standard's name without its closing 建设标准,
// 评价标准 or 标准 (健康村评价标准 → 健康村), for file names.
func shortStandardName(name string) string {
	for _, suffix := range []string{"建设评价标准", "建设标准", "评价标准", "评估标准", "标准"} {
		if t, ok := strings.CutSuffix(name, suffix); ok && t != "" {
			return t
		}
	}
	return name
}
