package sqlstore

import "testing"

func TestMaskAuditKey(t *testing.T) {
	tests := []struct {
		entity, id, want string
	}{
		{"reconcile", "names:11010519491231002X", "names:110105************"},
		{"reconcile", "id_claim:11010519491231002X", "id_claim:110105************"},
		{"reconcile", "two_households:王五|M|1980-04-05", "two_households:王五|M|1980"},
		{"reconcile", "two_households:王五|M|19", "two_households:"},
		{"reconcile", "unmatched:checkups:12", "unmatched:checkups:12"},
		{"reconcile", "village:7", "village:7"},
		{"reconcile", "someday:11010519491231002X", "someday:"},
		{"person", "12", "12"},
		{"user", "names:11010519491231002X", "names:11010519491231002X"},
	}
	for _, tt := range tests {
		if got := maskAuditKey(tt.entity, tt.id); got != tt.want {
			t.Errorf("maskAuditKey(%q, %q) = %q, want %q", tt.entity, tt.id, got, tt.want)
		}
	}
}
