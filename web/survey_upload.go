package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/questionnaire"
	"github.com/healthcell/healthcell/tablefile"
)

// The .xlsx (or CSV) layout of a survey, one item per row after a header
// row (documented on the surveys page and in docs/ARCHITECTURE.md):
//
//	题目 | 题型 | 选项A | 选项B | 选项C | 选项D | 选项E | 答案 | 讲解
//
// 题型 is 单选 or 多选; 答案 holds option letters: the correct answer, or
// for a satisfaction survey the options that count as satisfied, or nothing
// for an item counted but not scored. 选项C–E, 答案 and 讲解 may be left out.
// The survey's name and kind come from the upload form.

// maxSurveyFile bounds an uploaded survey file.
const maxSurveyFile = 1 << 20

var surveyColumns = []struct {
	name     string
	required bool
}{{"题目", true}, {"题型", true}, {"选项A", true}, {"选项B", true}, {"选项C", false}, {"选项D", false}, {"选项E", false}, {"答案", false}, {"讲解", false}}

// columnOf is the column of the problem itemFromRow reports.
var columnOf = map[string]string{
	"survey.item.text_required": "题目", "survey.item.type_invalid": "题型", "survey.item.options_count": "选项A",
	"survey.item.key_invalid": "答案", "survey.item.key_single": "答案", "survey.item.key_multiple": "答案",
}

// excelColumn is the letter of column i (0-based): A, B, … Z, AA.
func excelColumn(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// surveyFromSheet reads a survey file into questionnaire items; problems
// come back one per bad cell as "第 N 行 X 列（题目）：…" in the page's language.
func (s *Server) surveyFromSheet(p Page, data []byte, filename, kind string) ([]questionnaire.Item, []string) {
	var rd tablefile.Reader
	var err error
	switch strings.ToLower(filepath.Ext(filename)) {
	case ".xlsx":
		rd, err = tablefile.NewXLSX(bytes.NewReader(data))
	case ".csv":
		rd, err = tablefile.NewCSV(bytes.NewReader(data))
	default:
		return nil, []string{p.T("survey.upload.type")}
	}
	if err != nil {
		return nil, []string{p.T("survey.upload.unreadable")}
	}
	rows, err := tablefile.ReadAll(rd, 202, 202*20)
	if err != nil || len(rows) == 0 {
		return nil, []string{p.T("survey.upload.unreadable")}
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.ReplaceAll(strings.TrimSpace(h), " ", "")] = i
	}
	var problems []string
	for _, c := range surveyColumns {
		if _, ok := col[c.name]; !ok && c.required {
			problems = append(problems, p.T("survey.upload.column_missing", map[string]any{"Column": c.name}))
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	cell := func(row []string, name string) string {
		i, ok := col[name]
		if !ok || i >= len(row) {
			return ""
		}
		return strings.TrimSpace(row[i])
	}
	var items []questionnaire.Item
	for ri, row := range rows[1:] {
		er := editRow{Text: cell(row, "题目"), Key: cell(row, "答案"), Explanation: cell(row, "讲解")}
		var opts []string
		for _, l := range "ABCDE" {
			if o := cell(row, "选项"+string(l)); o != "" {
				opts = append(opts, o)
			}
		}
		er.Options = strings.Join(opts, "\n")
		if er.Text == "" && er.Options == "" && er.Key == "" && cell(row, "题型") == "" {
			continue // a blank row
		}
		switch cell(row, "题型") {
		case "单选", "单选题", "single":
			er.Type = string(questionnaire.Single)
		case "多选", "多选题", "multiple":
			er.Type = string(questionnaire.Multiple)
		default:
			er.Type = cell(row, "题型")
		}
		it, msg := itemFromRow(er, kind, len(items)+1)
		if msg != "" {
			name := columnOf[msg]
			problems = append(problems, p.T("survey.upload.problem", map[string]any{
				"Row": strconv.Itoa(ri + 2), "Col": excelColumn(col[name]), "Name": name, "Message": p.T(msg)}))
			continue
		}
		items = append(items, it)
	}
	if len(items) == 0 && len(problems) == 0 {
		problems = append(problems, p.T("survey.items.none"))
	}
	return items, problems
}

// surveyUpload creates a survey from an uploaded file: every bad row is
// reported with its row and column, and nothing is stored unless the whole
// file is good.
func (s *Server) surveyUpload(w http.ResponseWriter, r *http.Request) error {
	if !healthcell.ActorFrom(r.Context()).CanManageQuestionnaires() {
		return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxSurveyFile+1<<16)
	p := s.newPage(r, "survey.list.title")
	var problems []string
	name := strings.TrimSpace(r.FormValue("name"))
	kind := r.FormValue("kind")
	if name == "" {
		problems = append(problems, p.T("survey.name.required"))
	}
	if kind != healthcell.SurveyAwareness && kind != healthcell.SurveySatisfaction && kind != healthcell.SurveyKnowledge {
		problems = append(problems, p.T("survey.kind.invalid"))
	}
	var items []questionnaire.Item
	f, hdr, err := r.FormFile("file")
	if err != nil {
		problems = append(problems, p.T("survey.upload.empty"))
	} else {
		defer f.Close()
		data, rerr := io.ReadAll(io.LimitReader(f, maxSurveyFile+1))
		if rerr != nil || len(data) > maxSurveyFile {
			problems = append(problems, p.T("survey.upload.unreadable"))
		} else {
			var ps []string
			items, ps = s.surveyFromSheet(p, data, hdr.Filename, kind)
			problems = append(problems, ps...)
		}
	}
	code := "survey-" + s.now().Format("20060102-150405")
	if len(problems) == 0 {
		q := &questionnaire.Questionnaire{Code: code, Name: name, Source: p.T("survey.source"), PassRate: 0.8, Items: items}
		src, err := questionnaire.Format(q)
		if err != nil {
			return err
		}
		if _, err := questionnaire.Parse(bytes.NewReader(src)); err != nil {
			problems = append(problems, fmt.Sprint(p.T("survey.items.invalid")))
		} else {
			if _, _, err := s.svc.Questionnaires.LoadQuestionnaire(r.Context(), src); err != nil {
				return err
			}
			if err := s.svc.Surveys.SaveSurvey(r.Context(), &healthcell.Survey{Code: code, Kind: kind, Channel: healthcell.ChannelOfficer}); err != nil {
				return err
			}
			s.public.quiz.Clear() // the quiz page keeps the survey
			http.Redirect(w, r, "/surveys/"+code, http.StatusSeeOther)
			return nil
		}
	}
	list, err := s.svc.Surveys.FindSurveys(r.Context())
	if err != nil {
		return err
	}
	v := surveysView{Page: p, Surveys: list, CanManage: true, Problems: problems}
	return s.render(w, r, http.StatusUnprocessableEntity, "surveys", v)
}
