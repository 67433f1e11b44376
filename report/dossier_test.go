package report

import (
	"testing"

	"github.com/healthcell/healthcell"
)

func TestEvidencePath(t *testing.T) {
	it := &healthcell.Item{Code: "2.3", Text: "村内无乱堆乱放、乱搭乱建、乱贴乱画，垃圾日产日清"}
	for _, tc := range []struct {
		kind string
		n    int
		ev   healthcell.Evidence
		want string
	}{
		{"self", 1, healthcell.Evidence{Name: "现场照片.jpg", MIME: "image/jpeg"}, "佐证材料/自查/2.3 村内无乱堆乱放、乱搭乱建、乱贴乱/1-现场照片.jpg"},
		{"check", 2, healthcell.Evidence{Name: "通知", MIME: "application/pdf"}, "佐证材料/初验/2.3 村内无乱堆乱放、乱搭乱建、乱贴乱/2-通知.pdf"},
		{"evaluation", 3, healthcell.Evidence{Name: `../a/b:c*?"<>|.PNG`, MIME: "image/png"}, "佐证材料/评估验收/2.3 村内无乱堆乱放、乱搭乱建、乱贴乱/3-_a_b_c______.PNG"},
		{"self", 4, healthcell.Evidence{Name: "  ", MIME: "image/webp"}, "佐证材料/自查/2.3 村内无乱堆乱放、乱搭乱建、乱贴乱/4-文件.webp"},
	} {
		if got := EvidencePath(tc.kind, it, tc.n, &tc.ev); got != tc.want {
			t.Errorf("EvidencePath(%q) = %q, want %q", tc.ev.Name, got, tc.want)
		}
	}
}
