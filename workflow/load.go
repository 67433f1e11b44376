package workflow

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/healthcell/healthcell"
)

type yamlFile struct {
	Code        string           `yaml:"code"`
	Name        string           `yaml:"name"`
	Initial     string           `yaml:"initial"`
	ReviewYears int              `yaml:"review_years"`
	NamedAbove  []yamlNamedAbove `yaml:"named_above"`
	States      []yamlState      `yaml:"states"`
	Transitions []yamlTransition `yaml:"transitions"`
	Sampling    *yamlSampling    `yaml:"sampling"`
}

// yamlNamedAbove is a title named above the county, and by which level.
type yamlNamedAbove struct {
	CellType string `yaml:"cell_type"`
	Level    string `yaml:"level"`
}

// namingLevels are the levels named_above may give.
var namingLevels = map[string]int{"city": healthcell.LevelCity, "province": healthcell.LevelProvince}

type yamlState struct {
	Code     string `yaml:"code"`
	Zh       string `yaml:"zh"`
	En       string `yaml:"en"`
	Terminal bool   `yaml:"terminal"`
}

type yamlTransition struct {
	Action  string     `yaml:"action"`
	Zh      string     `yaml:"zh"`
	En      string     `yaml:"en"`
	DoneZh  string     `yaml:"done_zh"` // what the page says once it is done (已申报)
	DoneEn  string     `yaml:"done_en"`
	From    stringList `yaml:"from"`
	To      string     `yaml:"to"`
	Roles   stringList `yaml:"roles"`
	Level   levelSpec  `yaml:"level"`
	Comment string     `yaml:"comment"`
	Confirm bool       `yaml:"confirm"`
	Guards  stringList `yaml:"guards"`
	Batch   bool       `yaml:"batch"` // taken only by a sampling batch's decision
}

// stringList is a YAML list of strings, or one string.
type stringList []string

func (l *stringList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*l = stringList{n.Value}
		return nil
	}
	var s []string
	if err := n.Decode(&s); err != nil {
		return err
	}
	*l = s
	return nil
}

// levelSpec is the level of a transition: one level or a list, the same
// for every source state, or a mapping from source state to a level or a
// list of levels.
type levelSpec struct {
	all  []string
	by   map[string][]string
	keys []string // the mapping's keys in file order
}

func (l *levelSpec) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		var s stringList
		if err := n.Decode(&s); err != nil {
			return err
		}
		l.all = s
		return nil
	}
	l.by = map[string][]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		var s stringList
		if err := s.UnmarshalYAML(n.Content[i+1]); err != nil {
			return err
		}
		k := n.Content[i].Value
		if _, dup := l.by[k]; !dup {
			l.keys = append(l.keys, k)
		}
		l.by[k] = s
	}
	return nil
}

func (l *levelSpec) empty() bool { return len(l.all) == 0 && len(l.by) == 0 }

var codeRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,59}$`)

// Load reads a workflow file (the format is in the package documentation)
// and validates it. Every problem is reported in one EINVALID
// *healthcell.Error whose FieldErrors carry the YAML line in Row (0 when
// there is none): the line of the offending value, or of the entry when a
// key is absent. Field names the key, Value the offending value (for a
// duplicate code, the line of its first use). Load never panics.
func Load(r io.Reader) (m *Machine, err error) {
	defer func() {
		if p := recover(); p != nil {
			m, err = nil, healthcell.Invalid([]healthcell.FieldError{{Field: "yaml", Message: MsgYAMLSyntax, Value: fmt.Sprint(p)}})
		}
	}()
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "yaml", Message: MsgFileUnreadable, Value: err.Error()}})
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var yf yamlFile
	if err := dec.Decode(&yf); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "yaml", Message: MsgFileEmpty}})
		}
		return nil, healthcell.Invalid(syntaxErrors(err))
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "yaml", Message: MsgYAMLSyntax, Row: extra.Line, Value: "more than one YAML document"}})
	} else if !errors.Is(err, io.EOF) {
		return nil, healthcell.Invalid(syntaxErrors(err))
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, healthcell.Invalid(syntaxErrors(err))
	}
	return build(&yf, lines{&root})
}

// build turns a decoded file into a machine, or the EINVALID error listing
// everything wrong with it.
func build(yf *yamlFile, ln lines) (*Machine, error) {
	var fe []healthcell.FieldError
	add := func(row int, field, msg, value string) {
		fe = append(fe, healthcell.FieldError{Row: row, Field: field, Message: msg, Value: value})
	}
	if yf.ReviewYears < 0 || yf.ReviewYears > 20 {
		add(ln.at("review_years"), "review_years", MsgReviewYears, strconv.Itoa(yf.ReviewYears))
	}
	m := &Machine{Code: yf.Code, Name: yf.Name, ReviewYears: yf.ReviewYears, initial: yf.Initial,
		stateIdx: map[string]int{}, actionIdx: map[string]int{}, namedAbove: map[string]int{}}

	// Titles named above the county.
	for i, na := range yf.NamedAbove {
		row := ln.at("named_above", i)
		lv, ok := namingLevels[na.Level]
		switch {
		case strings.TrimSpace(na.CellType) == "":
			add(row, "cell_type", MsgFieldRequired, "")
		case !ok:
			add(ln.at("named_above", i, "level"), "level", MsgLevelUnknown, na.Level)
		case m.namedAbove[na.CellType] != 0:
			add(ln.at("named_above", i, "cell_type"), "cell_type", MsgNamedAboveDuplicate, na.CellType)
		default:
			m.namedAbove[na.CellType] = lv
		}
	}

	// States.
	if len(yf.States) == 0 {
		add(ln.at("states"), "states", MsgFieldRequired, "")
	}
	stateLine := map[string]int{}
	for i, ys := range yf.States {
		row := ln.at("states", i)
		switch {
		case ys.Code == "":
			add(row, "code", MsgFieldRequired, "")
		case !codeRE.MatchString(ys.Code):
			add(ln.at("states", i, "code"), "code", MsgCodeInvalid, ys.Code)
		case stateLine[ys.Code] != 0:
			add(ln.at("states", i, "code"), "code", MsgStateDuplicate, fmt.Sprintf("%s (%d)", ys.Code, stateLine[ys.Code]))
		default:
			stateLine[ys.Code] = ln.at("states", i, "code")
			m.stateIdx[ys.Code] = len(m.states)
			m.states = append(m.states, State{Code: ys.Code, Zh: ys.Zh, En: ys.En, Terminal: ys.Terminal})
		}
		if ys.Zh == "" {
			add(row, "zh", MsgFieldRequired, ys.Code)
		}
		if ys.En == "" {
			add(row, "en", MsgFieldRequired, ys.Code)
		}
	}
	known := func(code string) bool { _, ok := m.stateIdx[code]; return ok }

	// The initial state.
	switch {
	case yf.Initial == "":
		add(ln.at("initial"), "initial", MsgFieldRequired, "")
	case !known(yf.Initial):
		add(ln.at("initial"), "initial", MsgStateUnknown, yf.Initial)
	default:
		m.states[m.stateIdx[yf.Initial]].Initial = true
	}

	// Transitions.
	if len(yf.Transitions) == 0 {
		add(ln.at("transitions"), "transitions", MsgFieldRequired, "")
	}
	actionLine := map[string]int{}
	for i, yt := range yf.Transitions {
		row := ln.at("transitions", i)
		at := func(key string, j ...int) int {
			path := []any{"transitions", i, key}
			for _, k := range j {
				path = append(path, k)
			}
			return ln.at(path...)
		}
		t := Transition{Action: yt.Action, Zh: yt.Zh, En: yt.En, DoneZh: yt.DoneZh, DoneEn: yt.DoneEn, Destination: yt.To, Guards: []string(yt.Guards)}
		dup := false
		switch {
		case yt.Action == "":
			add(row, "action", MsgFieldRequired, "")
		case !codeRE.MatchString(yt.Action):
			add(at("action"), "action", MsgCodeInvalid, yt.Action)
		case actionLine[yt.Action] != 0:
			dup = true
			add(at("action"), "action", MsgActionDuplicate, fmt.Sprintf("%s (%d)", yt.Action, actionLine[yt.Action]))
		default:
			actionLine[yt.Action] = at("action")
		}
		if yt.Zh == "" {
			add(row, "zh", MsgFieldRequired, yt.Action)
		}
		if yt.En == "" {
			add(row, "en", MsgFieldRequired, yt.Action)
		}
		if len(yt.From) == 0 {
			add(row, "from", MsgFieldRequired, yt.Action)
		}
		for j, s := range yt.From {
			switch {
			case !known(s):
				add(at("from", j), "from", MsgStateUnknown, s)
			case m.states[m.stateIdx[s]].Terminal:
				add(at("from", j), "from", MsgStateTerminal, s)
			}
			if !slices.Contains(t.Sources, s) {
				t.Sources = append(t.Sources, s)
			}
		}
		switch {
		case yt.To == "":
			add(row, "to", MsgFieldRequired, yt.Action)
		case !known(yt.To):
			add(at("to"), "to", MsgStateUnknown, yt.To)
		}
		if len(yt.Roles) == 0 {
			add(row, "roles", MsgFieldRequired, yt.Action)
		}
		for j, r := range yt.Roles {
			if !healthcell.Role(r).Valid() {
				add(at("roles", j), "roles", MsgRoleUnknown, r)
			}
			t.Roles = append(t.Roles, healthcell.Role(r))
		}
		t.Levels = map[string][]Level{}
		level := func(l string, line int) Level {
			if !slices.Contains(Levels, Level(l)) {
				add(line, "level", MsgLevelUnknown, l)
			}
			return Level(l)
		}
		switch {
		case yt.Level.empty():
			add(row, "level", MsgFieldRequired, yt.Action)
		case yt.Level.by == nil:
			var ls []Level
			for j, l := range yt.Level.all {
				ls = append(ls, level(l, at("level", j)))
			}
			for _, s := range t.Sources {
				t.Levels[s] = slices.Clone(ls)
			}
		default:
			for _, k := range yt.Level.keys {
				if !slices.Contains(t.Sources, k) {
					add(ln.at("transitions", i, "level", k), "level", MsgLevelSource, k)
					continue
				}
				for j, l := range yt.Level.by[k] {
					t.Levels[k] = append(t.Levels[k], level(l, ln.at("transitions", i, "level", k, j)))
				}
			}
			for _, s := range t.Sources {
				if len(t.Levels[s]) == 0 {
					add(at("level"), "level", MsgFieldRequired, s)
				}
			}
		}
		switch yt.Comment {
		case "", "optional":
		case "required":
			t.CommentRequired = true
		default:
			add(at("comment"), "comment", MsgCommentInvalid, yt.Comment)
		}
		t.Confirm, t.Batch = yt.Confirm, yt.Batch
		for j, g := range yt.Guards {
			if _, ok := guards[g]; !ok {
				add(at("guards", j), "guards", MsgGuardUnknown, g)
			}
		}
		if !dup && yt.Action != "" {
			m.actionIdx[yt.Action] = len(m.transitions)
		}
		m.transitions = append(m.transitions, t)
	}

	m.buildSampling(yf.Sampling, ln, add)

	// Every state can be reached, and every state but a terminal one left.
	if known(yf.Initial) {
		reached := map[string]bool{yf.Initial: true}
		queue := []string{yf.Initial}
		for len(queue) > 0 {
			s := queue[0]
			queue = queue[1:]
			for _, t := range m.transitions {
				if slices.Contains(t.Sources, s) && known(t.Destination) && !reached[t.Destination] {
					reached[t.Destination] = true
					queue = append(queue, t.Destination)
				}
			}
		}
		for _, s := range m.states {
			if !reached[s.Code] {
				add(stateLine[s.Code], "code", MsgStateUnreachable, s.Code)
			}
		}
	}
	for _, s := range m.states {
		if s.Terminal {
			continue
		}
		out := false
		for _, t := range m.transitions {
			out = out || slices.Contains(t.Sources, s.Code)
		}
		if !out {
			add(stateLine[s.Code], "code", MsgStateDeadEnd, s.Code)
		}
	}

	if len(fe) > 0 {
		sort.SliceStable(fe, func(i, j int) bool { return fe[i].Row < fe[j].Row })
		return nil, healthcell.Invalid(fe)
	}
	return m, nil
}

func slicesContains[T comparable](s []T, v T) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// lines finds the line of a node of the file by its path: mapping keys
// and sequence indexes.
type lines struct{ root *yaml.Node }

// at returns the line of the node at path, or of the deepest node on the
// way there that exists.
func (l lines) at(path ...any) int {
	n := l.root
	if n == nil {
		return 0
	}
	line := n.Line
	for _, p := range path {
		n = child(n, p)
		if n == nil {
			break
		}
		line = n.Line
	}
	return line
}

func child(n *yaml.Node, p any) *yaml.Node {
	for n != nil && (n.Kind == yaml.DocumentNode || n.Kind == yaml.AliasNode) {
		if n.Kind == yaml.AliasNode {
			n = n.Alias
		} else if len(n.Content) > 0 {
			n = n.Content[0]
		} else {
			return nil
		}
	}
	if n == nil {
		return nil
	}
	switch p := p.(type) {
	case string:
		if n.Kind != yaml.MappingNode {
			return nil
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == p {
				return n.Content[i+1]
			}
		}
	case int:
		if n.Kind == yaml.SequenceNode && p < len(n.Content) {
			return n.Content[p]
		}
	}
	return nil
}

var yamlLineRE = regexp.MustCompile(`^line (\d+): (.*)$`)

// syntaxErrors turns a yaml.v3 error into field errors, one per message,
// with the line it names in Row and the rest in Value, without Go type names.
func syntaxErrors(err error) []healthcell.FieldError {
	msgs := []string{err.Error()}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	fe := make([]healthcell.FieldError, 0, len(msgs))
	for _, msg := range msgs {
		msg = strings.TrimPrefix(strings.TrimSpace(msg), "yaml: ")
		row := 0
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			row, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		if i := strings.Index(msg, " in type workflow."); i >= 0 {
			msg = msg[:i]
		}
		fe = append(fe, healthcell.FieldError{Field: "yaml", Message: MsgYAMLSyntax, Row: row, Value: msg})
	}
	return fe
}
