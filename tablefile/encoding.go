package tablefile

import (
	"bufio"
	"bytes"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Encoding is a text encoding of a CSV file.
type Encoding string

// The encodings Decode recognises.
const (
	UTF8    Encoding = "utf-8"
	UTF8BOM Encoding = "utf-8-bom"
	GB18030 Encoding = "gb18030"
)

// sniffBytes is how much of a stream Decode looks at to choose the encoding.
const sniffBytes = 1 << 20

// DetectEncoding chooses the encoding of text that starts with head: UTF-8
// after a byte-order mark; UTF-8 when head is valid UTF-8 (a character cut
// off at the end of head is allowed); GB18030 otherwise. It never fails.
func DetectEncoding(head []byte) Encoding {
	if bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) {
		return UTF8BOM
	}
	// A multi-byte character may straddle the end of the sample.
	for i := 0; i < utf8.UTFMax && len(head) > 0; i++ {
		if utf8.Valid(head) {
			return UTF8
		}
		if r, _ := utf8.DecodeLastRune(head); r != utf8.RuneError {
			break
		}
		head = head[:len(head)-1]
	}
	if len(head) == 0 || utf8.Valid(head) {
		return UTF8
	}
	return GB18030
}

// Decode returns a reader of r's text in UTF-8 without a byte-order mark,
// and the encoding it detected from the first MiB (see DetectEncoding). A
// file whose first MiB is plain ASCII is taken as UTF-8; headers are Chinese,
// so in practice the first line decides. It returns an error only when
// reading r fails.
func Decode(r io.Reader) (io.Reader, Encoding, error) {
	br := bufio.NewReaderSize(r, sniffBytes)
	head, err := br.Peek(sniffBytes)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, "", err
	}
	enc := DetectEncoding(head)
	switch enc {
	case UTF8BOM:
		br.Discard(3)
		return br, enc, nil
	case GB18030:
		return transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder()), enc, nil
	}
	return br, enc, nil
}

// DecodeBytes returns data as UTF-8 text without a byte-order mark, deciding
// on the whole of data (valid UTF-8, else GB18030). It returns false when
// data is binary (contains a NUL byte: a workbook renamed to .csv, UTF-16
// text) or is not GB18030 either.
func DecodeBytes(data []byte) (string, bool) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if bytes.IndexByte(data, 0) >= 0 {
		return "", false
	}
	if utf8.Valid(data) {
		return string(data), true
	}
	b, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", false
	}
	return string(b), true
}
