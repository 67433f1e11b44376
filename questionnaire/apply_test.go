package questionnaire

import (
	"reflect"
	"testing"

	"github.com/healthcell/healthcell"
)

func TestApply(t *testing.T) {
	q := knowledgeBehaviour(t)
	answers := map[string][]string{}
	for _, it := range q.Items {
		answers[it.Code] = it.Answer
	}
	answers["K9"] = []string{"c", "a", "B"} // right, in any order and case
	answers["B1"] = []string{"A"}           // wrong
	answers["B2"] = []string{"B"}           // wrong
	r := &healthcell.Response{Answers: answers}
	q.Apply(r, q.Score(answers))
	if r.Points != 18 || r.MaxPoints != 20 || r.PassPoints != 16 || !r.Passed {
		t.Errorf("totals %d / %d, pass %d, passed %v", r.Points, r.MaxPoints, r.PassPoints, r.Passed)
	}
	if r.KnowledgePassed == nil || !*r.KnowledgePassed || r.BehaviourPassed == nil || *r.BehaviourPassed {
		t.Errorf("parts: knowledge %v, behaviour %v", r.KnowledgePassed, r.BehaviourPassed)
	}
	if len(r.Items) != len(q.Items) || !reflect.DeepEqual(r.Items[8], healthcell.ResponseItem{Item: "K9", Labels: []string{"A", "B", "C"}, Points: 2, Max: 2}) {
		t.Errorf("K9 = %+v", r.Items[8])
	}
	kinds := map[string]int{}
	for _, g := range r.Groups {
		kinds[g.Kind]++
		if g.Max == 0 {
			t.Errorf("group %s with no items", g.Code)
		}
	}
	// Six areas are declared, 健康信息 has no item; no aspects; two parts.
	if kinds[healthcell.GroupArea] != 5 || kinds[healthcell.GroupAspect] != 0 || kinds[healthcell.GroupPart] != 2 {
		t.Errorf("groups %v", kinds)
	}

	lit := shipped(t)["health-literacy-2020"]
	r = &healthcell.Response{}
	lit.Apply(r, lit.Score(nil))
	if r.Points != 0 || r.Passed || r.KnowledgePassed != nil || len(r.Groups) != 9 {
		t.Errorf("empty literacy response: %+v", r)
	}
	it, _ := lit.Item("32")
	if got := it.Ordered([]string{"d", " B", "Z", "b"}); !reflect.DeepEqual(got, []string{"B", "D", "Z"}) {
		t.Errorf("Ordered = %q", got)
	}
}
