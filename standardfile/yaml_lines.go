package standardfile

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/healthcell/healthcell"
)

var yamlLineRe = regexp.MustCompile(`(?s)^line (\d+): (.*)$`)

// yamlSyntaxErrors turns a yaml.v3 error into field errors, one per problem,
// with the line when the parser gives one and without Go type names.
func yamlSyntaxErrors(err error) []healthcell.FieldError {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	var fe []healthcell.FieldError
	for _, m := range msgs {
		m = strings.TrimPrefix(strings.TrimSpace(m), "yaml: ")
		row := 0
		if sm := yamlLineRe.FindStringSubmatch(m); sm != nil {
			row, _ = strconv.Atoi(sm[1])
			m = sm[2]
		}
		if i := strings.Index(m, " in type standardfile."); i >= 0 {
			m = m[:i]
		}
		m = strings.ReplaceAll(m, "into standardfile.yaml", "into ")
		fe = append(fe, healthcell.FieldError{Field: "yaml", Message: MsgYAMLSyntax, Row: row, Value: m})
	}
	return fe
}

// yamlLines holds the lines of the parts of a standard's YAML text.
type yamlLines struct {
	top      map[string]int // top-level key → its line
	levels   []int
	sections []int           // line of each section's name (or of the section)
	mixed    []bool          // the section has both items and subsections
	items    []yamlItemLines // in flattened item order
}

type yamlItemLines struct {
	line    int            // the item's first line
	section int            // the line of its section's name
	keys    map[string]int // key → its line
}

func (p yamlItemLines) key(k string) int {
	if l, ok := p.keys[k]; ok {
		return l
	}
	return p.line
}

func (l *yamlLines) item(i int) yamlItemLines {
	if i >= 0 && i < len(l.items) {
		return l.items[i]
	}
	return yamlItemLines{line: l.top["sections"]}
}

// row returns the YAML line of a field error of Standard.Validate, whose
// Row is a 1-based item number or 0 for the standard's own fields. The
// Value of a duplicate item code is rewritten by ParseYAML.
func (l *yamlLines) row(s *healthcell.Standard, f healthcell.FieldError) int {
	if f.Row == 0 {
		switch f.Field {
		case "items":
			return l.top["sections"]
		case "levels":
			for i := 1; i < len(s.Levels) && i < len(l.levels); i++ {
				if s.Levels[i].Name == f.Value && s.Levels[i].Min <= s.Levels[i-1].Min {
					return l.levels[i]
				}
			}
		}
		return l.top[f.Field]
	}
	pos := l.item(f.Row - 1)
	if f.Field == "section" {
		if pos.section != 0 {
			return pos.section
		}
		return pos.line
	}
	return pos.key(f.Field)
}

// yamlNode follows aliases (bounded, although a decoded text has no cycles).
func yamlNode(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		return yamlNode(n.Content[0])
	}
	return n
}

// yamlKeys returns the keys of a mapping with their key and value nodes,
// merge keys (<<) included, the mapping's own keys winning.
func yamlKeys(n *yaml.Node, depth int) map[string][2]*yaml.Node {
	n = yamlNode(n)
	out := map[string][2]*yaml.Node{}
	if n == nil || n.Kind != yaml.MappingNode || depth > 8 {
		return out
	}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Tag != "!!str" {
			merges = append(merges, v)
			continue
		}
		if _, dup := out[k.Value]; !dup {
			out[k.Value] = [2]*yaml.Node{k, v}
		}
	}
	for _, m := range merges {
		m = yamlNode(m)
		var list []*yaml.Node
		if m != nil && m.Kind == yaml.SequenceNode {
			list = m.Content
		} else {
			list = []*yaml.Node{m}
		}
		for _, mm := range list {
			for k, kv := range yamlKeys(mm, depth+1) {
				if _, ok := out[k]; !ok {
					out[k] = kv
				}
			}
		}
	}
	return out
}

func yamlSeq(n *yaml.Node) []*yaml.Node {
	n = yamlNode(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// yamlLinesOf walks the node tree in the order ParseYAML flattens items.
func yamlLinesOf(root *yaml.Node) *yamlLines {
	l := &yamlLines{top: map[string]int{}}
	top := yamlKeys(root, 0)
	for k, kv := range top {
		l.top[k] = kv[0].Line
	}
	if kv, ok := top["levels"]; ok {
		for _, n := range yamlSeq(kv[1]) {
			l.levels = append(l.levels, yamlNode(n).Line)
		}
	}
	kv, ok := top["sections"]
	if !ok {
		return l
	}
	itemsOf := func(seq *yaml.Node, secLine int) {
		for _, n := range yamlSeq(seq) {
			in := yamlNode(n)
			p := yamlItemLines{line: in.Line, section: secLine, keys: map[string]int{}}
			for k, kv := range yamlKeys(in, 0) {
				p.keys[k] = kv[0].Line
			}
			l.items = append(l.items, p)
		}
	}
	for _, sn := range yamlSeq(kv[1]) {
		keys := yamlKeys(sn, 0)
		line := yamlNode(sn).Line
		if name, ok := keys["name"]; ok {
			line = name[0].Line
		}
		l.sections = append(l.sections, line)
		_, hasItems := keys["items"]
		_, hasSubs := keys["subsections"]
		l.mixed = append(l.mixed, hasItems && hasSubs)
		if items, ok := keys["items"]; ok {
			itemsOf(items[1], line)
		}
		if subs, ok := keys["subsections"]; ok {
			for _, sub := range yamlSeq(subs[1]) {
				if items, ok := yamlKeys(sub, 0)["items"]; ok {
					itemsOf(items[1], line)
				}
			}
		}
	}
	return l
}
