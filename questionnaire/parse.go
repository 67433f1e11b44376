package questionnaire

// The YAML format of a questionnaire, as shipped in catalog/questionnaires:
//
//	code: health-literacy-2020       # unique; no spaces or / \ ? # %
//	name: 全国居民健康素养监测调查问卷
//	version: "2020"
//	source: 依据的文件
//	notes: 说明（哪些是我们编写或拟定的）
//	pass_rate: 0.8                   # passed at ≥ pass_rate × total points; 0 < pass_rate ≤ 1
//	age: {min: 15, max: 69}          # optional: the population of the indicator
//	total_points: 66                 # optional: checked against the items' points
//	counts: {truefalse: 8, single: 23, multiple: 15, scenario: 4}
//	                                 # optional, each key optional: truefalse, single and
//	                                 # multiple count items outside scenarios, scenario
//	                                 # the items of scenarios
//	aspects:                         # optional; then every item names one
//	  - {name: 基本知识和理念, items: 22, points: 28}   # items, points optional: checked
//	  - 基本技能                      # a name alone is also accepted
//	areas:                           # optional, as aspects
//	  - {name: 科学健康观, items: 8, points: 11}
//	parts:                           # optional; then every item names one
//	  - {code: knowledge, name: 健康知识, pass_rate: 0.8, items: 10, points: 12}
//	  - {code: behaviour, pass_rate: 0.8}
//	scenarios:                       # optional
//	  - code: S1
//	    text: 情景题的题干
//	items:
//	  - code: "1"                    # unique within the questionnaire
//	    type: single                 # truefalse single multiple
//	    text: 题目
//	    options:                     # single, multiple: labels A, B, C … in order, at most E
//	      A: 选项                     # (a true/false item has none: its options are 对 and 错)
//	      B: 选项
//	    answer: B                    # the key: B, ABD, "A,B,D", [A, B, D]; 对 or 错 for truefalse
//	    points: 1                    # optional, 1–100: 1 for truefalse and single, 2 for multiple
//	    aspect: 基本知识和理念         # required when aspects are declared, else absent
//	    area: 科学健康观               # required when areas are declared, else absent
//	    part: knowledge              # required when parts are declared, else absent
//	    scenario: S1                 # optional: the item belongs to that scenario
//	    optional: true               # optional: Check does not require an answer
//
// A single-choice item needs at least two options and one key, a multiple-
// choice item at least three options and two keys. Unknown and repeated keys
// are errors; anchors and aliases are not accepted.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/healthcell/healthcell"
)

// Parse reads a questionnaire in the YAML format described at the top of this
// file and validates it. Every problem is reported in one EINVALID
// *healthcell.Error whose FieldErrors carry the YAML line in Row: the line of
// the offending key or value, or of the mapping that lacks a key. Parse never
// panics.
func Parse(r io.Reader) (q *Questionnaire, err error) {
	defer func() {
		// yaml.v3 has had panics on hostile input; whatever remains must
		// reach the user as a bad file, not a crash.
		if p := recover(); p != nil {
			q, err = nil, healthcell.Invalid([]healthcell.FieldError{{Field: "yaml", Message: MsgYAMLSyntax, Value: fmt.Sprint(p)}})
		}
	}()
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "yaml", Message: MsgFileUnreadable, Value: err.Error()}})
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "yaml", Message: MsgFileEmpty}})
		}
		return nil, healthcell.Invalid([]healthcell.FieldError{syntaxError(err)})
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "yaml", Message: MsgYAMLSyntax, Row: extra.Line, Value: "more than one YAML document"}})
	} else if !errors.Is(err, io.EOF) {
		return nil, healthcell.Invalid([]healthcell.FieldError{syntaxError(err)})
	}
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "yaml", Message: MsgFileEmpty}})
		}
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "yaml", Message: MsgFileEmpty}})
	}
	if a := findAlias(root, 0); a != nil {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "yaml", Message: MsgYAMLSyntax, Row: a.Line, Value: "anchors and aliases are not supported"}})
	}
	if root.Kind != yaml.MappingNode {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "yaml", Message: MsgValueInvalid, Row: root.Line, Value: "a mapping (key: value) is expected"}})
	}
	p := &parser{}
	q = p.questionnaire(root)
	if err := healthcell.Invalid(p.fe); err != nil {
		return nil, err
	}
	q.reindex()
	return q, nil
}

var yamlPrefix = strings.NewReplacer("yaml: ", "")

// syntaxError turns a yaml.v3 error into a field error, taking the line from
// "line N: …" when the message has one.
func syntaxError(err error) healthcell.FieldError {
	m := yamlPrefix.Replace(strings.TrimSpace(err.Error()))
	row := 0
	if rest, ok := strings.CutPrefix(m, "line "); ok {
		if i := strings.Index(rest, ":"); i > 0 {
			if n, err := strconv.Atoi(rest[:i]); err == nil {
				row, m = n, strings.TrimSpace(rest[i+1:])
			}
		}
	}
	return healthcell.FieldError{Field: "yaml", Message: MsgYAMLSyntax, Row: row, Value: m}
}

// findAlias returns the first alias node under n, or nil. The depth bound is
// far beyond any questionnaire and keeps a hostile text from recursing deeply.
func findAlias(n *yaml.Node, depth int) *yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.AliasNode || depth > 64 {
		return n
	}
	for _, c := range n.Content {
		if a := findAlias(c, depth+1); a != nil {
			return a
		}
	}
	return nil
}

// LoadDir reads every *.yaml file at the root of fsys, in file-name order, and
// returns the questionnaires. An error names the file and wraps the EINVALID
// error of Parse; two files with one code give MsgCodeDuplicate. Pass an
// embed.FS through fs.Sub, or os.DirFS("catalog/questionnaires").
func LoadDir(fsys fs.FS) ([]*Questionnaire, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("questionnaires: %w", err)
	}
	out := make([]*Questionnaire, 0, len(names))
	seen := map[string]string{}
	for _, name := range names { // fs.Glob returns names sorted
		f, err := fsys.Open(name)
		if err != nil {
			return nil, fmt.Errorf("questionnaire %s: %w", path.Base(name), err)
		}
		q, err := Parse(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("questionnaire %s: %w", path.Base(name), err)
		}
		if first, dup := seen[q.Code]; dup {
			return nil, fmt.Errorf("questionnaire %s: %w", path.Base(name), healthcell.Invalid([]healthcell.FieldError{
				{Field: "code", Message: MsgCodeDuplicate, Value: q.Code + " (also in " + first + ")"}}))
		}
		seen[q.Code] = path.Base(name)
		out = append(out, q)
	}
	return out, nil
}
