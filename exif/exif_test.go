package exif

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/jpeg"
	"testing"
	"time"
)

// withExif builds a JPEG with an APP1 Exif block in byte order order: IFD0
// holding DateTime (when dt is set) and a pointer to an Exif IFD holding
// DateTimeOriginal (when orig is set).
func withExif(t testing.TB, order binary.ByteOrder, dt, orig string) []byte {
	var img bytes.Buffer
	if err := jpeg.Encode(&img, image.NewGray(image.Rect(0, 0, 8, 8)), nil); err != nil {
		t.Fatal(err)
	}
	var tiff bytes.Buffer
	if order == binary.LittleEndian {
		tiff.WriteString("II")
	} else {
		tiff.WriteString("MM")
	}
	w := func(v any) { binary.Write(&tiff, order, v) }
	w(uint16(42))
	w(uint32(8))
	// IFD0 at 8: two entries, then next-IFD 0; data after.
	ifd0Len := 2 + 2*12 + 4
	dataAt := uint32(8 + ifd0Len)
	exifAt := dataAt + 20
	w(uint16(2))
	w(uint16(tagDateTime))
	w(uint16(typeASCII))
	w(uint32(20))
	w(dataAt)
	w(uint16(tagExifIFD))
	w(uint16(4))
	w(uint32(1))
	w(exifAt)
	w(uint32(0))
	d := make([]byte, 20)
	copy(d, dt)
	tiff.Write(d)
	// Exif IFD: one entry.
	origAt := exifAt + 2 + 12 + 4
	w(uint16(1))
	w(uint16(tagDateTimeOriginal))
	w(uint16(typeASCII))
	w(uint32(20))
	w(origAt)
	w(uint32(0))
	o := make([]byte, 20)
	copy(o, orig)
	tiff.Write(o)

	seg := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	var out bytes.Buffer
	out.Write([]byte{0xFF, 0xD8, 0xFF, 0xE1})
	binary.Write(&out, binary.BigEndian, uint16(len(seg)+2))
	out.Write(seg)
	out.Write(img.Bytes()[2:]) // the rest of the JPEG after its SOI
	return out.Bytes()
}

func TestTaken(t *testing.T) {
	plain := func() []byte {
		var b bytes.Buffer
		jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 4)), nil)
		return b.Bytes()
	}()
	tests := []struct {
		name string
		data []byte
		want string // "" for no date
	}{
		{"original date, little-endian", withExif(t, binary.LittleEndian, "2020:01:01 00:00:00", "2025:03:01 09:30:00"), "2025-03-01 09:30"},
		{"original date, big-endian", withExif(t, binary.BigEndian, "", "2024:12:31 23:59:59"), "2024-12-31 23:59"},
		{"only DateTime", withExif(t, binary.LittleEndian, "2023:06:15 08:00:00", ""), "2023-06-15 08:00"},
		{"zero date", withExif(t, binary.LittleEndian, "0000:00:00 00:00:00", "0000:00:00 00:00:00"), ""},
		{"no EXIF", plain, ""},
		{"not a JPEG", []byte("\x89PNG\r\n\x1a\n"), ""},
		{"empty", nil, ""},
		{"truncated", withExif(t, binary.LittleEndian, "", "2025:03:01 09:30:00")[:40], ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Taken(tt.data)
			if tt.want == "" {
				if ok {
					t.Fatalf("got %v, want no date", got)
				}
				return
			}
			if !ok || got.Format("2006-01-02 15:04") != tt.want {
				t.Fatalf("got %v %v, want %s", got, ok, tt.want)
			}
		})
	}
}

func FuzzTaken(f *testing.F) {
	f.Add(withExif(f, binary.LittleEndian, "2020:01:01 00:00:00", "2025:03:01 09:30:00"))
	f.Add(withExif(f, binary.BigEndian, "", "2024:12:31 23:59:59"))
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x02})
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, ok := Taken(data); ok && (got.Year() < 1980 || got.After(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))) {
			t.Fatalf("implausible date %v", got)
		}
	})
}
