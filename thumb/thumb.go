// Package thumb makes small JPEG thumbnails of evidence photos, with the
// standard library only.
package thumb

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"

	_ "image/gif" // register decoders
	_ "image/png"
)

// ErrUnsupported is returned for images the standard library cannot decode
// (WebP, HEIC); such evidence is kept without a thumbnail.
var ErrUnsupported = errors.New("thumb: unsupported image")

// maxPixels bounds the decoded size, so a small file that claims a huge
// canvas cannot exhaust memory.
const maxPixels = 50_000_000

// Make returns a JPEG no larger than size×size pixels showing data, which
// must be a JPEG, PNG or GIF. It returns ErrUnsupported for other formats
// and for images over 50 megapixels, and the decoder's error for a damaged file.
func Make(data []byte, size int) ([]byte, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, ErrUnsupported
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPixels {
		return nil, ErrUnsupported
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	dst := scale(src, size)
	var out bytes.Buffer
	if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: 80}); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// scale shrinks src to fit size×size by averaging the source pixels that fall
// into each destination pixel (a box filter); smaller images keep their size.
func scale(src image.Image, size int) *image.RGBA {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if w > size || h > size {
		if w >= h {
			dw, dh = size, max(1, h*size/w)
		} else {
			dw, dh = max(1, w*size/h), size
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < dh; y++ {
		y0, y1 := b.Min.Y+y*h/dh, b.Min.Y+max((y+1)*h/dh, y*h/dh+1)
		for x := 0; x < dw; x++ {
			x0, x1 := b.Min.X+x*w/dw, b.Min.X+max((x+1)*w/dw, x*w/dw+1)
			var r, g, bl, a, n uint64
			for sy := y0; sy < y1; sy++ {
				for sx := x0; sx < x1; sx++ {
					cr, cg, cb, ca := src.At(sx, sy).RGBA()
					r, g, bl, a, n = r+uint64(cr), g+uint64(cg), bl+uint64(cb), a+uint64(ca), n+1
				}
			}
			dst.Set(x, y, color.RGBA64{uint16(r / n), uint16(g / n), uint16(bl / n), uint16(a / n)})
		}
	}
	return dst
}
