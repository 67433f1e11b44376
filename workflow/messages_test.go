package workflow_test

import (
	"os"
	"strings"
	"testing"

	"github.com/healthcell/healthcell/workflow"
)

// TestMessagesDocumented: every key the package returns has its sentences
// in messages.md.
func TestMessagesDocumented(t *testing.T) {
	doc, err := os.ReadFile("messages.md")
	if err != nil {
		t.Fatal(err)
	}
	keys := []string{
		workflow.MsgStateUnknown, workflow.MsgActionUnknown, workflow.MsgTransitionInvalid,
		workflow.MsgRoleForbidden, workflow.MsgLevelForbidden, workflow.MsgCommentRequired,
		workflow.MsgFileUnreadable, workflow.MsgFileEmpty, workflow.MsgYAMLSyntax, workflow.MsgFieldRequired,
		workflow.MsgCodeInvalid, workflow.MsgStateDuplicate, workflow.MsgStateTerminal,
		workflow.MsgStateUnreachable, workflow.MsgStateDeadEnd, workflow.MsgActionDuplicate,
		workflow.MsgRoleUnknown, workflow.MsgLevelSource, workflow.MsgLevelUnknown,
		workflow.MsgGuardUnknown, workflow.MsgCommentInvalid,
	}
	for _, g := range workflow.GuardNames() {
		keys = append(keys, workflow.MsgGuardPrefix+g)
	}
	for _, k := range keys {
		if !containsRow(string(doc), k) {
			t.Errorf("messages.md has no row for %s", k)
		}
	}
}

func containsRow(doc, key string) bool {
	for _, line := range strings.Split(doc, "\n") {
		if strings.HasPrefix(line, "| `"+key+"` |") {
			return true
		}
	}
	return false
}
