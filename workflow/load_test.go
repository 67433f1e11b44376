package workflow_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/workflow"
)

// base is a small valid workflow; the cases below break it one way each.
const base = `initial: a
states:
  - {code: a, zh: 甲, en: A}
  - {code: b, zh: 乙, en: B, terminal: true}
transitions:
  - action: go
    zh: 走
    en: Go
    from: [a]
    to: b
    roles: [village]
    level: self
    guards: [self_sheet_passed]
`

// edit returns base with old replaced by new, failing when old is absent.
func edit(t *testing.T, old, new string) string {
	t.Helper()
	if !strings.Contains(base, old) {
		t.Fatalf("base has no %q", old)
	}
	return strings.Replace(base, old, new, 1)
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestLoadBase(t *testing.T) {
	m, err := workflow.Load(strings.NewReader(base))
	if err != nil {
		t.Fatal(err)
	}
	if next, err := m.Apply("a", "go", villageCtx(villageOfficer)); err != nil || next != "b" {
		t.Errorf("Apply(a, go) = %q, %v", next, err)
	}
}

func TestLoadErrors(t *testing.T) {
	fe := func(row int, field, msg, value string) healthcell.FieldError {
		return healthcell.FieldError{Row: row, Field: field, Message: msg, Value: value}
	}
	const (
		appendState = "  - {code: b, zh: 乙, en: B, terminal: true}\n"
		lastLine    = "    guards: [self_sheet_passed]\n"
	)
	tests := []struct {
		name string
		text func(t *testing.T) string
		want []healthcell.FieldError // for yaml syntax errors Value is a part of the parser's message
	}{
		{"unknown state in from", func(t *testing.T) string { return edit(t, "from: [a]", "from: [a, x]") },
			[]healthcell.FieldError{fe(9, "from", "workflow.state.unknown", "x")}},
		{"unknown destination", func(t *testing.T) string { return edit(t, "to: b", "to: x") },
			[]healthcell.FieldError{fe(4, "code", "workflow.state.unreachable", "b"), fe(10, "to", "workflow.state.unknown", "x")}},
		{"unreachable state", func(t *testing.T) string {
			s := edit(t, appendState, appendState+"  - {code: c, zh: 丙, en: C}\n")
			return s + "  - {action: leave, zh: 离开, en: Leave, from: [c], to: b, roles: [township], level: township}\n"
		}, []healthcell.FieldError{fe(5, "code", "workflow.state.unreachable", "c")}},
		{"state with no way out", func(t *testing.T) string {
			s := edit(t, appendState, appendState+"  - {code: c, zh: 丙, en: C}\n")
			return s + "  - {action: park, zh: 停, en: Park, from: [a], to: c, roles: [village], level: self}\n"
		}, []healthcell.FieldError{fe(5, "code", "workflow.state.dead_end", "c")}},
		{"duplicate action", func(t *testing.T) string {
			return base + "  - {action: go, zh: 再走, en: Again, from: [a], to: b, roles: [village], level: self}\n"
		}, []healthcell.FieldError{fe(14, "action", "workflow.action.duplicate", "go (6)")}},
		{"duplicate state", func(t *testing.T) string {
			return edit(t, appendState, appendState+"  - {code: a, zh: 甲二, en: A2}\n")
		}, []healthcell.FieldError{fe(5, "code", "workflow.state.duplicate", "a (3)")}},
		{"unknown role", func(t *testing.T) string { return edit(t, "roles: [village]", "roles: [village, mayor]") },
			[]healthcell.FieldError{fe(11, "roles", "workflow.role.unknown", "mayor")}},
		{"unknown guard", func(t *testing.T) string {
			return edit(t, "guards: [self_sheet_passed]", "guards: [self_sheet_passed, sunny_day]")
		}, []healthcell.FieldError{fe(13, "guards", "workflow.guard.unknown", "sunny_day")}},
		{"unknown level", func(t *testing.T) string { return edit(t, "level: self", "level: province") },
			[]healthcell.FieldError{fe(12, "level", "workflow.level.unknown", "province")}},
		{"unknown level in a list", func(t *testing.T) string { return edit(t, "level: self", "level:\n      - self\n      - city") },
			[]healthcell.FieldError{fe(14, "level", "workflow.level.unknown", "city")}},
		{"level for a state that is not a source", func(t *testing.T) string {
			return edit(t, "level: self", "level: {a: self, b: county}")
		}, []healthcell.FieldError{fe(12, "level", "workflow.level.source", "b")}},
		{"source without a level", func(t *testing.T) string { return edit(t, "level: self", "level: {a: []}") },
			[]healthcell.FieldError{fe(12, "level", "workflow.field.required", "a")}},
		{"transition out of a terminal state", func(t *testing.T) string {
			return base + "  - {action: reopen, zh: 重开, en: Reopen, from: [b], to: a, roles: [county_admin], level: county}\n"
		}, []healthcell.FieldError{fe(14, "from", "workflow.state.terminal", "b")}},
		{"comment neither required nor optional", func(t *testing.T) string {
			return base + "    comment: maybe\n"
		}, []healthcell.FieldError{fe(14, "comment", "workflow.comment.invalid", "maybe")}},
		{"bad action code", func(t *testing.T) string { return edit(t, "action: go", "action: Go Now") },
			[]healthcell.FieldError{fe(6, "action", "workflow.code.invalid", "Go Now")}},
		{"bad state code", func(t *testing.T) string {
			return edit(t, appendState, appendState+"  - {code: 3c, zh: 丙, en: C, terminal: true}\n")
		}, []healthcell.FieldError{fe(5, "code", "workflow.code.invalid", "3c")}},
		{"missing initial", func(t *testing.T) string { return edit(t, "initial: a\n", "") },
			[]healthcell.FieldError{fe(1, "initial", "workflow.field.required", "")}},
		{"unknown initial", func(t *testing.T) string { return edit(t, "initial: a", "initial: z") },
			[]healthcell.FieldError{fe(1, "initial", "workflow.state.unknown", "z")}},
		{"state without an English name", func(t *testing.T) string {
			return edit(t, "{code: a, zh: 甲, en: A}", "{code: a, zh: 甲}")
		}, []healthcell.FieldError{fe(3, "en", "workflow.field.required", "a")}},
		{"transition without roles", func(t *testing.T) string { return edit(t, "    roles: [village]\n", "") },
			[]healthcell.FieldError{fe(6, "roles", "workflow.field.required", "go")}},
		{"transition without from", func(t *testing.T) string { return edit(t, "    from: [a]\n", "") },
			[]healthcell.FieldError{
				fe(3, "code", "workflow.state.dead_end", "a"),
				fe(4, "code", "workflow.state.unreachable", "b"),
				fe(6, "from", "workflow.field.required", "go"),
			}},
		{"nothing declared", func(t *testing.T) string { return "initial: a\n" },
			[]healthcell.FieldError{
				fe(1, "states", "workflow.field.required", ""),
				fe(1, "initial", "workflow.state.unknown", "a"),
				fe(1, "transitions", "workflow.field.required", ""),
			}},
		{"unknown key", func(t *testing.T) string { return base + "    colour: red\n" },
			[]healthcell.FieldError{fe(14, "yaml", "workflow.yaml.syntax", "field colour not found")}},
		{"wrong type", func(t *testing.T) string { return edit(t, "terminal: true", "terminal: very") },
			[]healthcell.FieldError{fe(4, "yaml", "workflow.yaml.syntax", "cannot unmarshal")}},
		{"syntax error", func(t *testing.T) string { return edit(t, "to: b", "to: b: c") },
			[]healthcell.FieldError{fe(10, "yaml", "workflow.yaml.syntax", "mapping values are not allowed")}},
		{"two documents", func(t *testing.T) string { return base + "---\ninitial: a\n" },
			[]healthcell.FieldError{fe(14, "yaml", "workflow.yaml.syntax", "more than one YAML document")}},
		{"empty file", func(t *testing.T) string { return "# nothing here\n\n" },
			[]healthcell.FieldError{fe(0, "yaml", "workflow.file.empty", "")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := workflow.Load(strings.NewReader(tc.text(t)))
			checkLoadError(t, m, err, tc.want)
		})
	}
	t.Run("unreadable", func(t *testing.T) {
		m, err := workflow.Load(errReader{})
		checkLoadError(t, m, err, []healthcell.FieldError{fe(0, "yaml", "workflow.file.unreadable", "disk on fire")})
	})
}

func checkLoadError(t *testing.T, m *workflow.Machine, err error, want []healthcell.FieldError) {
	t.Helper()
	if err == nil {
		t.Fatalf("Load succeeded (%d states), want %v", len(m.States()), want)
	}
	if m != nil {
		t.Error("Load returned a machine with its error")
	}
	if healthcell.ErrorCode(err) != healthcell.EINVALID {
		t.Fatalf("Load: %v, want EINVALID", err)
	}
	got := healthcell.ErrorFields(err)
	ok := len(got) == len(want)
	for i := 0; ok && i < len(got); i++ {
		g, w := got[i], want[i]
		ok = g.Row == w.Row && g.Field == w.Field && g.Message == w.Message
		if w.Message == workflow.MsgYAMLSyntax {
			ok = ok && strings.Contains(g.Value, w.Value)
		} else {
			ok = ok && g.Value == w.Value
		}
	}
	if !ok {
		t.Errorf("Load errors:\n got %+v\nwant %+v", got, want)
	}
}
