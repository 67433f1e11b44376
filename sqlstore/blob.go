package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/healthcell/healthcell/exif"
	"github.com/healthcell/healthcell/thumb"
)

// blob is an uploaded file's bytes, with its hash and, for photos, a
// thumbnail.
type blob struct {
	sha, mime string
	data      []byte
	thumb     []byte // nil when none could be made
}

// newBlob hashes data (already sniffed as mime) and makes the thumbnail of a
// photo; a photo that cannot be shrunk simply has none.
func newBlob(data []byte, mime string) *blob {
	b := &blob{mime: mime, data: data}
	if strings.HasPrefix(mime, "image/") {
		b.thumb, _ = thumb.Make(data, thumbSize)
	}
	sum := sha256.Sum256(data)
	b.sha = hex.EncodeToString(sum[:])
	return b
}

// storeBlob stores b's bytes once per hash.
func (tx *Tx) storeBlob(ctx context.Context, b *blob) error {
	var t any
	if b.thumb != nil {
		t = b.thumb
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO evidence_blobs (sha256, mime, size, data, thumb, taken_on) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (sha256) DO NOTHING`, b.sha, b.mime, len(b.data), b.data, t, takenOn(b.data, b.mime)); err != nil {
		return fmt.Errorf("store file: %w", err)
	}
	return nil
}

// takenOn is the date a JPEG photo says it was taken ('YYYY-MM-DD', from
// its EXIF block), "" for other files and photos without one.
func takenOn(data []byte, mime string) string {
	if mime != "image/jpeg" {
		return ""
	}
	if t, ok := exif.Taken(data); ok {
		return t.Format("2006-01-02")
	}
	return ""
}

// dropBlob deletes the bytes of sha when no attachment refers to them any more.
func (tx *Tx) dropBlob(ctx context.Context, sha string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM evidence_blobs WHERE sha256 = $1
		AND NOT EXISTS (SELECT 1 FROM evidence WHERE sha256 = $1)
		AND NOT EXISTS (SELECT 1 FROM entry_files WHERE sha256 = $1)
		AND NOT EXISTS (SELECT 1 FROM plan_report_files WHERE sha256 = $1)
		AND NOT EXISTS (SELECT 1 FROM article_images WHERE sha256 = $1)`, sha)
	if err != nil {
		return fmt.Errorf("drop file: %w", err)
	}
	return nil
}
