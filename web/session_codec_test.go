package web

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
)

func TestSessionCodec(t *testing.T) {
	deadline := time.Date(2026, 11, 22, 18, 0, 0, 123456789, time.UTC)
	cases := []struct {
		name   string
		values map[string]any
		gob    bool // written with gob (a value of another type)
	}{
		{name: "empty", values: map[string]any{}},
		{name: "logged in", values: map[string]any{"uid": int64(42), "login_at": int64(1795000000)}},
		{name: "with a notice", values: map[string]any{"uid": int64(1), "notice": "common.saved", "": ""}},
		{name: "negative, long and unicode", values: map[string]any{"n": int64(-1 << 62), "s": string(bytes.Repeat([]byte("健康"), 500))}},
		{name: "bool and float", values: map[string]any{"t": true, "f": false, "x": 2.5}},
		{name: "another type goes to gob", values: map[string]any{"uid": int64(1), "count": 5, "raw": []byte("x")}, gob: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := sessionCodec{}.Encode(deadline, tc.values)
			if err != nil {
				t.Fatal(err)
			}
			if got := bytes.HasPrefix(b, sessionMagic); got == tc.gob {
				t.Errorf("own form %v, want %v", got, !tc.gob)
			}
			d, v, err := sessionCodec{}.Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			if !d.Equal(deadline) || !reflect.DeepEqual(v, tc.values) {
				t.Errorf("decoded %v %v, want %v %v", d, v, deadline, tc.values)
			}
		})
	}
}

// TestSessionCodecReadsGob checks that sessions written by scs's gob codec
// (before this codec) still decode.
func TestSessionCodecReadsGob(t *testing.T) {
	deadline := time.Date(2026, 11, 22, 18, 0, 0, 0, time.UTC)
	values := map[string]any{"uid": int64(7), "notice": "common.saved"}
	b, err := scs.GobCodec{}.Encode(deadline, values)
	if err != nil {
		t.Fatal(err)
	}
	d, v, err := sessionCodec{}.Decode(b)
	if err != nil || !d.Equal(deadline) || !reflect.DeepEqual(v, values) {
		t.Errorf("decoded %v %v %v", d, v, err)
	}
}

func TestSessionCodecRejectsDamage(t *testing.T) {
	good, err := sessionCodec{}.Encode(time.Now(), map[string]any{"uid": int64(7), "notice": "common.saved"})
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"magic only":       sessionMagic,
		"cut short":        good[:len(good)-3],
		"trailing bytes":   append(append([]byte{}, good...), 0),
		"unknown kind":     append(append([]byte{}, sessionMagic...), 0, 1, 1, 'k', 'z'),
		"count past data":  append(append([]byte{}, sessionMagic...), 0, 0x80, 0x80, 0x04),
		"string past data": append(append([]byte{}, sessionMagic...), 0, 1, 9, 'k'),
		"not gob either":   []byte("garbage"),
	}
	for name, b := range cases {
		if _, _, err := (sessionCodec{}).Decode(b); err == nil {
			t.Errorf("%s: decoded", name)
		}
	}
}

func FuzzSessionCodec(f *testing.F) {
	good, _ := sessionCodec{}.Encode(time.Unix(0, 5), map[string]any{"uid": int64(7), "s": "x", "b": true, "f": 1.5})
	f.Add(good)
	f.Fuzz(func(t *testing.T, b []byte) {
		if !bytes.HasPrefix(b, sessionMagic) {
			return // gob's own business
		}
		d, v, err := sessionCodec{}.Decode(b)
		if err != nil {
			return
		}
		again, err := sessionCodec{}.Encode(d, v)
		if err != nil {
			t.Fatal(err)
		}
		d2, v2, err := sessionCodec{}.Decode(again)
		if err != nil || !d2.Equal(d) || !reflect.DeepEqual(v, v2) {
			t.Fatalf("round trip: %v %v %v", d2, v2, err)
		}
	})
}
