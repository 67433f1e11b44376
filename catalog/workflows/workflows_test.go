package workflows

import "testing"

func TestCreation(t *testing.T) {
	m, err := Creation()
	if err != nil {
		t.Fatal(err)
	}
	if m.Initial() != "self_assessment" {
		t.Errorf("Initial() = %q", m.Initial())
	}
}
