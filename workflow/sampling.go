package workflow

import (
	"slices"
	"strconv"

	"github.com/healthcell/healthcell"
)

// Sampling is the file's sampling block (抽查): an office above the county
// may draw a random sample of the units waiting in state From, assess only
// the sample on its own sheet, and decide the whole batch by it. Which
// transitions the decision takes are named here, so the batch runs through
// the declared workflow like any single step.
type Sampling struct {
	// From is the state of the units a batch is drawn from (recommended).
	From string `json:"from"`
	// Roles draw and decide batches; each must be allowed Pass, PassRest
	// and Fail.
	Roles []healthcell.Role `json:"roles"`
	// Percent is the share drawn when the officer states none (1–100).
	Percent int `json:"percent"`
	// Pass is taken by each drawn unit that passed its own sheet, when
	// every drawn unit passed (name_above).
	Pass string `json:"pass"`
	// PassRest is taken by each unit not drawn, when every drawn unit
	// passed: a transition marked batch, offered to nobody one by one.
	PassRest string `json:"pass_rest"`
	// Fail is taken by each drawn unit whose sheet failed, when the batch
	// fails (return_recommendation), with the officer's comment.
	Fail string `json:"fail"`
}

// yamlSampling is the sampling block as the file writes it.
type yamlSampling struct {
	From     string     `yaml:"from"`
	Roles    stringList `yaml:"roles"`
	Percent  int        `yaml:"percent"`
	Pass     string     `yaml:"pass"`
	PassRest string     `yaml:"pass_rest"`
	Fail     string     `yaml:"fail"`
}

// Sampling returns the file's sampling block, and false when the file has
// none (then no batch may be drawn above the county).
func (m *Machine) Sampling() (Sampling, bool) {
	if m.sampling == nil {
		return Sampling{}, false
	}
	s := *m.sampling
	s.Roles = slices.Clone(s.Roles)
	return s, true
}

// MaySample reports whether the actor's role draws and decides sampling
// batches (the file's sampling roles); false without a sampling block.
func (m *Machine) MaySample(a *healthcell.Actor) bool {
	return a != nil && m.sampling != nil && (a.System || slices.Contains(m.sampling.Roles, a.Role))
}

// buildSampling checks the sampling block against the machine's states and
// transitions (which must be built) and sets it; add reports each problem.
// A transition marked batch must be the block's pass_rest.
func (m *Machine) buildSampling(ys *yamlSampling, ln lines, add func(row int, field, msg, value string)) {
	at := func(key string) int { return ln.at("sampling", key) }
	if ys == nil {
		for _, t := range m.transitions {
			if t.Batch {
				add(ln.at("transitions", m.actionIdx[t.Action], "batch"), "batch", MsgBatchUnused, t.Action)
			}
		}
		return
	}
	s := &Sampling{From: ys.From, Percent: ys.Percent, Pass: ys.Pass, PassRest: ys.PassRest, Fail: ys.Fail}
	ok := true
	bad := func(row int, field, msg, value string) { ok = false; add(row, field, msg, value) }
	switch st, known := m.State(ys.From); {
	case ys.From == "":
		bad(ln.at("sampling"), "from", MsgFieldRequired, "")
	case !known:
		bad(at("from"), "from", MsgStateUnknown, ys.From)
	case st.Terminal:
		bad(at("from"), "from", MsgStateTerminal, ys.From)
	}
	if ys.Percent < 1 || ys.Percent > 100 {
		bad(at("percent"), "percent", MsgSamplingPercent, strconv.Itoa(ys.Percent))
	}
	if len(ys.Roles) == 0 {
		bad(ln.at("sampling"), "roles", MsgFieldRequired, "")
	}
	for j, r := range ys.Roles {
		if !healthcell.Role(r).Valid() {
			bad(ln.at("sampling", "roles", j), "roles", MsgRoleUnknown, r)
		}
		s.Roles = append(s.Roles, healthcell.Role(r))
	}
	for _, x := range []struct {
		key, action string
		batch       bool
	}{{"pass", ys.Pass, false}, {"pass_rest", ys.PassRest, true}, {"fail", ys.Fail, false}} {
		i, known := m.actionIdx[x.action]
		switch {
		case x.action == "":
			bad(ln.at("sampling"), x.key, MsgFieldRequired, "")
			continue
		case !known:
			bad(at(x.key), x.key, MsgActionUnknown, x.action)
			continue
		}
		t := &m.transitions[i]
		if ys.From != "" && !t.Possible(ys.From) {
			bad(at(x.key), x.key, MsgTransitionInvalid, x.action)
		}
		if t.Batch != x.batch {
			bad(at(x.key), x.key, MsgSamplingBatch, x.action)
		}
		for _, r := range s.Roles {
			if !slices.Contains(t.Roles, r) {
				bad(at(x.key), "roles", MsgRoleForbidden, string(r)+" "+x.action)
			}
		}
	}
	for _, t := range m.transitions {
		if t.Batch && t.Action != ys.PassRest {
			add(ln.at("transitions", m.actionIdx[t.Action], "batch"), "batch", MsgBatchUnused, t.Action)
		}
	}
	if ok {
		m.sampling = s
	}
}
