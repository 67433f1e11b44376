package sqltest

import (
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

func TestStorageInterfaces(t *testing.T) {
	tests := []struct {
		name, src string
		want      int
	}{
		{"exported storage interface", `package web
import ("context"; "github.com/healthcell/healthcell")
type SurveyStore interface {
	healthcell.SurveyService
	PublicQuestionnaire(ctx context.Context, code string) error
}`, 2},
		{"exported interface of its own", `package web
type Flusher interface{ Flush() }`, 1},
		{"unexported composed storage", `package web
import hc "github.com/healthcell/healthcell"
type surveys interface{ hc.QuestionnaireService[int] }`, 1},
		{"literal in a struct field", `package web
import "github.com/healthcell/healthcell"
type Services struct{ Surveys interface{ healthcell.SurveyService } }`, 1},
		{"unexported connection interface", `package sqlstore
import ("context"; "database/sql")
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}`, 0},
		{"root interface used, not declared", `package web
import ("github.com/healthcell/healthcell"; "github.com/healthcell/healthcell/questionnaire")
type Services struct{ Surveys healthcell.SurveyService[*questionnaire.Questionnaire] }`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := parser.ParseFile(token.NewFileSet(), "x.go", tt.src, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			if got := storageInterfaces(f); len(got) != tt.want {
				t.Errorf("got %d (%s), want %d", len(got), strings.Join(got, "; "), tt.want)
			}
		})
	}
}
