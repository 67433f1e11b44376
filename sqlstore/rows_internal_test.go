package sqlstore

import (
	"errors"
	"testing"
)

// fakeRows yields n rows, then ends with err; closing it fails with
// closeErr. It counts the rows read and the closes.
type fakeRows struct {
	n        int
	err      error
	closeErr error
	read     int
	closes   int
}

func (r *fakeRows) Next() bool {
	if r.closes > 0 || r.read == r.n {
		return false
	}
	r.read++
	return true
}

func (r *fakeRows) Err() error   { return r.err }
func (r *fakeRows) Close() error { r.closes++; return r.closeErr }

// TestEachRow: a result cut short by the driver (rows.Err) is an error and
// never a short list, as are a failing fn and a failing close; the rows are
// closed whatever happens.
func TestEachRow(t *testing.T) {
	errDropped := errors.New("connection dropped")
	errFn := errors.New("scan failed")
	errClose := errors.New("close failed")
	tests := []struct {
		name     string
		rows     *fakeRows
		failAt   int // fn fails on this row (1-based); 0: never
		want     error
		wantSeen int
	}{
		{"every row", &fakeRows{n: 3}, 0, nil, 3},
		{"no rows", &fakeRows{}, 0, nil, 0},
		{"cut short after two rows", &fakeRows{n: 2, err: errDropped}, 0, errDropped, 2},
		{"cut short before any row", &fakeRows{err: errDropped}, 0, errDropped, 0},
		{"fn fails", &fakeRows{n: 3, err: errDropped}, 2, errFn, 2},
		{"close fails", &fakeRows{n: 1, closeErr: errClose}, 0, errClose, 1},
		{"Err wins over close", &fakeRows{n: 1, err: errDropped, closeErr: errClose}, 0, errDropped, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen := 0
			err := eachRow(tt.rows, func(*fakeRows) error {
				seen++
				if seen == tt.failAt {
					return errFn
				}
				return nil
			})
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			if seen != tt.wantSeen {
				t.Errorf("fn called %d times, want %d", seen, tt.wantSeen)
			}
			if tt.rows.closes == 0 {
				t.Errorf("rows not closed")
			}
		})
	}
}
