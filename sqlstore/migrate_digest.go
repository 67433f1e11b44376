package sqlstore

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sort"
)

// MigrationsDigest returns a SHA-256 (hex) of the names and contents of
// engine's embedded migrations: two databases migrated under the same
// digest have the same schema. It returns an error for an unknown engine.
func MigrationsDigest(engine string) (string, error) {
	if engine != SQLite && engine != Postgres {
		return "", fmt.Errorf("sqlstore: unknown engine %q", engine)
	}
	names, err := fs.Glob(migrations, "migrations/"+engine+"/*.sql")
	if err != nil {
		return "", err
	}
	sort.Strings(names)
	h := sha256.New()
	for _, name := range names {
		buf, err := fs.ReadFile(migrations, name)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(buf))
		h.Write(buf)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
