package sqltest

import (
	"testing"
	"time"

	"github.com/healthcell/healthcell/idcard"
)

// ID returns a valid ID number of region 510824 born on birth (YYYY-MM-DD)
// with sequence seq (odd: male, even: female); it fails the test when the
// arguments cannot make one.
func ID(t testing.TB, birth string, seq int) string {
	t.Helper()
	b, err := time.Parse("2006-01-02", birth)
	if err != nil {
		t.Fatal(err)
	}
	id := idcard.Generate("510824", b, seq)
	if !idcard.Valid(id, Now) {
		t.Fatalf("generated ID %q for %s/%d is not valid", id, birth, seq)
	}
	return id
}

// BadCheck returns id with a wrong check character.
func BadCheck(id string) string {
	c := byte('0')
	if id[17] == '0' {
		c = '1'
	}
	return id[:17] + string(c)
}
