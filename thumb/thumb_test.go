package thumb

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

func encode(t *testing.T, w, h int, format string) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	var b bytes.Buffer
	var err error
	if format == "png" {
		err = png.Encode(&b, img)
	} else {
		err = jpeg.Encode(&b, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestMake(t *testing.T) {
	tests := []struct {
		name         string
		data         []byte
		wantW, wantH int
		wantErr      error
	}{
		{"landscape jpeg", encode(t, 1200, 800, "jpeg"), 320, 213, nil},
		{"portrait png", encode(t, 600, 900, "png"), 213, 320, nil},
		{"small keeps size", encode(t, 100, 50, "png"), 100, 50, nil},
		{"not an image", []byte("%PDF-1.4 ..."), 0, 0, ErrUnsupported},
		{"empty", nil, 0, 0, ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Make(tt.data, 320)
			if err != tt.wantErr {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			img, err := jpeg.Decode(bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() != tt.wantW || b.Dy() != tt.wantH {
				t.Errorf("size %dx%d, want %dx%d", b.Dx(), b.Dy(), tt.wantW, tt.wantH)
			}
		})
	}
}

func TestMakeDamaged(t *testing.T) {
	data := encode(t, 400, 400, "jpeg")
	if _, err := Make(data[:len(data)/3], 320); err == nil {
		t.Error("a truncated JPEG made a thumbnail")
	}
}
