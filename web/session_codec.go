package web

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"time"

	"github.com/alexedwards/scs/v2"
)

// sessionCodec encodes session data for the sessions table. Every request
// decodes its session, and scs's default gob codec builds a new decoder,
// type compilation included, each time: a tenth of a village page's CPU.
// The values healthcell keeps in a session are int64s and strings (the user
// id, the login time, a notice), which this codec writes in a small binary
// form:
//
//	"\x00hc1" deadline(varint UnixNano) count(uvarint) { key(string) kind(byte) value }
//
// with strings as uvarint length and bytes, kinds 'i' (int64, varint),
// 's' (string), 'b' (bool, one byte), 'f' (float64 bits, 8 bytes). A session
// holding a value of any other type is written with gob, as is everything
// written before this codec; Decode tells them apart by the prefix (a gob
// stream never starts with a zero byte: that would be an empty message).
type sessionCodec struct{}

var sessionMagic = []byte("\x00hc1")

// Encode implements scs.Codec; it returns gob's error for values that
// neither form can hold.
func (sessionCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	b := make([]byte, 0, 64)
	b = append(b, sessionMagic...)
	b = binary.AppendVarint(b, deadline.UnixNano())
	b = binary.AppendUvarint(b, uint64(len(values)))
	for k, v := range values {
		b = appendString(b, k)
		switch v := v.(type) {
		case int64:
			b = binary.AppendVarint(append(b, 'i'), v)
		case string:
			b = appendString(append(b, 's'), v)
		case bool:
			c := byte(0)
			if v {
				c = 1
			}
			b = append(b, 'b', c)
		case float64:
			b = binary.LittleEndian.AppendUint64(append(b, 'f'), math.Float64bits(v))
		default:
			return scs.GobCodec{}.Encode(deadline, values)
		}
	}
	return b, nil
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

var errSessionData = errors.New("session: malformed data")

// Decode implements scs.Codec; it returns an error for data that is neither
// this codec's nor gob's.
func (sessionCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	if !bytes.HasPrefix(b, sessionMagic) {
		return scs.GobCodec{}.Decode(b)
	}
	d := sessionDecoder{b: b[len(sessionMagic):]}
	deadline := time.Unix(0, d.varint()).UTC()
	n := d.uvarint()
	if d.err != nil || n > uint64(len(d.b)) {
		return time.Time{}, nil, errSessionData
	}
	values := make(map[string]any, n)
	for range n {
		k := d.string()
		switch d.byte() {
		case 'i':
			values[k] = d.varint()
		case 's':
			values[k] = d.string()
		case 'b':
			values[k] = d.byte() == 1
		case 'f':
			values[k] = math.Float64frombits(d.uint64())
		default:
			d.err = errSessionData
		}
		if d.err != nil {
			return time.Time{}, nil, errSessionData
		}
	}
	if len(d.b) != 0 {
		return time.Time{}, nil, errSessionData
	}
	return deadline, values, nil
}

// sessionDecoder reads the parts of an encoded session; the first problem
// sticks in err and every later read returns a zero value.
type sessionDecoder struct {
	b   []byte
	err error
}

func (d *sessionDecoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errSessionData
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *sessionDecoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errSessionData
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *sessionDecoder) string() string {
	n := d.uvarint()
	if d.err != nil || n > uint64(len(d.b)) {
		d.err = errSessionData
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *sessionDecoder) byte() byte {
	if d.err != nil || len(d.b) == 0 {
		d.err = errSessionData
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *sessionDecoder) uint64() uint64 {
	if d.err != nil || len(d.b) < 8 {
		d.err = errSessionData
		return 0
	}
	v := binary.LittleEndian.Uint64(d.b)
	d.b = d.b[8:]
	return v
}
