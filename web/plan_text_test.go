package web

import (
	"reflect"
	"testing"
)

func TestPlanLines(t *testing.T) {
	tests := []struct {
		in   string
		want []planLine
	}{
		{"", nil},
		{"一段\n\n- 一项", []planLine{{Parts: []planPart{{Text: "一段"}}}, {Item: true, Parts: []planPart{{Text: "一项"}}}}},
		{"**部署启动阶段**：出台方案", []planLine{{Parts: []planPart{{Bold: true, Text: "部署启动阶段"}, {Text: "：出台方案"}}}}},
		{"<script>x</script>", []planLine{{Parts: []planPart{{Text: "<script>x</script>"}}}}},
	}
	for _, tt := range tests {
		if got := planLines(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("planLines(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}
