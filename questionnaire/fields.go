package questionnaire

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/healthcell/healthcell"
)

type parser struct {
	fe []healthcell.FieldError
}

func (p *parser) add(row int, field, msg, value string) {
	p.fe = append(p.fe, healthcell.FieldError{Row: row, Field: field, Message: msg, Value: value})
}

// entry is a key and its value in a mapping.
type entry struct {
	key, val *yaml.Node
}

// fields is a mapping node read against a set of known keys.
type fields struct {
	p      *parser
	line   int    // the mapping's line, for missing keys
	prefix string // "" at the top, else "items." …
	m      map[string]entry
}

// mapping reads n as a mapping with the given keys, reporting unknown and
// repeated keys. A node that is not a mapping is reported and gives no keys.
func (p *parser) mapping(n *yaml.Node, field, prefix string, known ...string) *fields {
	f := &fields{p: p, line: n.Line, prefix: prefix, m: map[string]entry{}}
	if n.Kind != yaml.MappingNode {
		p.add(n.Line, field, MsgValueInvalid, "a mapping (key: value) is expected")
		return f
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || !slices.Contains(known, k.Value) {
			p.add(k.Line, prefix+scalarText(k), MsgKeyUnknown, scalarText(k))
			continue
		}
		if prev, dup := f.m[k.Value]; dup {
			p.add(k.Line, prefix+k.Value, MsgKeyDuplicate, fmt.Sprintf("first on line %d", prev.key.Line))
			continue
		}
		f.m[k.Value] = entry{k, v}
	}
	return f
}

func scalarText(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return n.Value
	}
	return ""
}

func (f *fields) has(key string) bool {
	e, ok := f.m[key]
	return ok && !(e.val.Kind == yaml.ScalarNode && e.val.Tag == "!!null")
}

// row is the line of key's value, or of the mapping when the key is absent.
func (f *fields) row(key string) int {
	if e, ok := f.m[key]; ok {
		return e.val.Line
	}
	return f.line
}

// str returns key's text, trimmed; a number or a boolean is taken as written.
func (f *fields) str(key string, required bool) string {
	e, ok := f.m[key]
	if !ok || (e.val.Kind == yaml.ScalarNode && e.val.Tag == "!!null") {
		if required {
			f.p.add(f.row(key), f.prefix+key, MsgRequired, "")
		}
		return ""
	}
	if e.val.Kind != yaml.ScalarNode {
		f.p.add(e.val.Line, f.prefix+key, MsgValueInvalid, "a text is expected")
		return ""
	}
	s := strings.TrimSpace(e.val.Value)
	if s == "" && required {
		f.p.add(e.val.Line, f.prefix+key, MsgRequired, "")
	}
	return s
}

// integer returns key's whole number and whether the key was given.
func (f *fields) integer(key string) (int, bool) {
	if !f.has(key) {
		return 0, false
	}
	e := f.m[key]
	var v int
	if e.val.Kind != yaml.ScalarNode || e.val.Tag != "!!int" || e.val.Decode(&v) != nil {
		f.p.add(e.val.Line, f.prefix+key, MsgValueInvalid, "a whole number is expected: "+scalarText(e.val))
		return 0, false
	}
	return v, true
}

// number returns key's finite number and whether the key was given.
func (f *fields) number(key string) (float64, bool) {
	if !f.has(key) {
		return 0, false
	}
	e := f.m[key]
	var v float64
	if e.val.Kind != yaml.ScalarNode || (e.val.Tag != "!!int" && e.val.Tag != "!!float") ||
		e.val.Decode(&v) != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		f.p.add(e.val.Line, f.prefix+key, MsgValueInvalid, "a number is expected: "+scalarText(e.val))
		return 0, false
	}
	return v, true
}

func (f *fields) boolean(key string) bool {
	if !f.has(key) {
		return false
	}
	e := f.m[key]
	var v bool
	if e.val.Kind != yaml.ScalarNode || e.val.Tag != "!!bool" || e.val.Decode(&v) != nil {
		f.p.add(e.val.Line, f.prefix+key, MsgValueInvalid, "true or false is expected: "+scalarText(e.val))
		return false
	}
	return v
}

// list returns key's sequence, or nil when absent or not a sequence.
func (f *fields) list(key string) []*yaml.Node {
	if !f.has(key) {
		return nil
	}
	e := f.m[key]
	if e.val.Kind != yaml.SequenceNode {
		f.p.add(e.val.Line, f.prefix+key, MsgValueInvalid, "a list is expected")
		return nil
	}
	return e.val.Content
}

func (f *fields) passRate(key string) float64 {
	v, ok := f.number(key)
	if !ok {
		if !f.has(key) {
			f.p.add(f.row(key), f.prefix+key, MsgRequired, "")
		}
		return 0
	}
	if v <= 0 || v > 1 {
		f.p.add(f.row(key), f.prefix+key, MsgPassRateInvalid, strconv.FormatFloat(v, 'f', -1, 64))
	}
	return v
}
