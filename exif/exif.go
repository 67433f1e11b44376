// Package exif reads the date a JPEG photo says it was taken, from its EXIF
// block (DateTimeOriginal, else DateTime). Standard library only; every
// offset is bounds-checked, so any input is safe.
package exif

import (
	"encoding/binary"
	"time"
)

// EXIF tags read.
const (
	tagExifIFD          = 0x8769
	tagDateTime         = 0x0132
	tagDateTimeOriginal = 0x9003
	typeASCII           = 2
)

// maxEntries bounds the entries read from one directory.
const maxEntries = 512

// Taken returns the date and time a JPEG photo was taken, as written by the
// camera (local time, read as UTC), and false when data is not a JPEG, has
// no EXIF block or no valid date in it.
func Taken(data []byte) (time.Time, bool) {
	tiff, ok := exifBlock(data)
	if !ok {
		return time.Time{}, false
	}
	var order binary.ByteOrder
	switch {
	case len(tiff) < 8:
		return time.Time{}, false
	case tiff[0] == 'I' && tiff[1] == 'I':
		order = binary.LittleEndian
	case tiff[0] == 'M' && tiff[1] == 'M':
		order = binary.BigEndian
	default:
		return time.Time{}, false
	}
	if order.Uint16(tiff[2:]) != 42 {
		return time.Time{}, false
	}
	ifd0 := order.Uint32(tiff[4:])
	var fallback string
	var exifIFD uint32
	for _, e := range entries(tiff, order, ifd0) {
		switch e.tag {
		case tagDateTime:
			fallback = ascii(tiff, order, e)
		case tagExifIFD:
			exifIFD = e.value
		}
	}
	if exifIFD != 0 && exifIFD != ifd0 {
		for _, e := range entries(tiff, order, exifIFD) {
			if e.tag == tagDateTimeOriginal {
				if t, ok := parse(ascii(tiff, order, e)); ok {
					return t, true
				}
			}
		}
	}
	return parse(fallback)
}

// exifBlock returns the TIFF part of the JPEG's APP1 Exif segment.
func exifBlock(data []byte) ([]byte, bool) {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return nil, false
	}
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return nil, false
		}
		marker := data[i+1]
		if marker == 0xFF { // fill byte
			i++
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // start of scan, end of image: no EXIF before
			return nil, false
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return nil, false
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xE1 && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00" {
			return seg[6:], true
		}
		i += 2 + n
	}
	return nil, false
}

type entry struct {
	tag, typ uint16
	count    uint32
	value    uint32 // the value itself (≤ 4 bytes) or its offset
}

// entries reads the directory at off, nil when it does not fit.
func entries(tiff []byte, order binary.ByteOrder, off uint32) []entry {
	if uint64(off)+2 > uint64(len(tiff)) {
		return nil
	}
	n := int(order.Uint16(tiff[off:]))
	if n > maxEntries {
		return nil
	}
	start := uint64(off) + 2
	if start+uint64(n)*12 > uint64(len(tiff)) {
		return nil
	}
	out := make([]entry, 0, n)
	for k := 0; k < n; k++ {
		b := tiff[start+uint64(k)*12:]
		out = append(out, entry{tag: order.Uint16(b), typ: order.Uint16(b[2:]), count: order.Uint32(b[4:]), value: order.Uint32(b[8:])})
	}
	return out
}

// ascii returns an ASCII entry's text without its terminating NUL, "" when
// it is not ASCII or does not fit.
func ascii(tiff []byte, order binary.ByteOrder, e entry) string {
	if e.typ != typeASCII || e.count == 0 || e.count > 64 {
		return ""
	}
	var b []byte
	if e.count <= 4 {
		var v [4]byte
		order.PutUint32(v[:], e.value)
		b = v[:e.count]
	} else {
		if uint64(e.value)+uint64(e.count) > uint64(len(tiff)) {
			return ""
		}
		b = tiff[e.value : e.value+e.count]
	}
	for len(b) > 0 && b[len(b)-1] == 0 {
		b = b[:len(b)-1]
	}
	return string(b)
}

// parse reads "2006:01:02 15:04:05"; zero dates are no date.
func parse(s string) (time.Time, bool) {
	if len(s) < 19 {
		return time.Time{}, false
	}
	t, err := time.Parse("2006:01:02 15:04:05", s[:19])
	if err != nil || t.Year() < 1980 {
		return time.Time{}, false
	}
	return t, true
}
