package healthcell

import (
	"context"
	"strings"
	"time"
)

// Response is one respondent's answers to a questionnaire, scored when it is
// stored against the questionnaire's latest version and again whenever that
// questionnaire is re-scored. The respondent is a resident (PersonID, with
// name, sex and age taken from the person) or typed in (name, sex, age and
// village).
type Response struct {
	ID            int64  `json:"id"`
	Questionnaire string `json:"questionnaire"` // the questionnaire's code
	Version       int    `json:"version"`       // the stored version it was scored against
	VillageCode   string `json:"village"`       // 12-digit code of the respondent's village
	UnitID        int64  `json:"unit,omitempty"`
	PersonID      int64  `json:"person,omitempty"`
	Name          string `json:"name"`
	Sex           string `json:"sex"` // "M" or "F", as persons
	Age           int    `json:"age"` // whole years at SurveyDate
	SurveyDate    string `json:"survey_date"`
	// Resident is whether the respondent was a permanent resident (常住) when
	// surveyed: the person's flag for a resident, else as entered (nil: yes).
	Resident *bool               `json:"resident,omitempty"`
	Answers  map[string][]string `json:"answers,omitempty"` // item code → labels chosen

	// Set by scoring.
	Points          int             `json:"points"`
	MaxPoints       int             `json:"max_points"`
	PassPoints      int             `json:"pass_points"`
	Passed          bool            `json:"passed"`
	KnowledgePassed *bool           `json:"knowledge_passed,omitempty"` // nil without a knowledge part
	BehaviourPassed *bool           `json:"behaviour_passed,omitempty"` // nil without a behaviour part
	Items           []ResponseItem  `json:"items,omitempty"`
	Groups          []ResponseGroup `json:"groups,omitempty"`

	// Channel is "officer" (entered) or "public" (answered by the resident
	// through the village's QR code); Phone is given only in public, and
	// only when the resident chose to (masked outside the owning scope).
	Channel string `json:"channel,omitempty"`
	Phone   string `json:"phone,omitempty"`

	Active    bool      `json:"active"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// ResponseItem is the stored answer to one item and what it scored.
type ResponseItem struct {
	Item   string   `json:"item"`
	Labels []string `json:"labels"`
	Points int      `json:"points"`
	Max    int      `json:"max"`
}

// Kinds of ResponseGroup.
const (
	GroupAspect = "aspect" // 基本知识和理念, 健康生活方式与行为, 基本技能
	GroupArea   = "area"   // 科学健康观, 传染病防治, …
	GroupPart   = "part"   // knowledge, behaviour
)

// ResponseGroup is the result of one aspect, problem area or part: passed at
// the questionnaire's pass rate of the group's points (a part's own rate).
type ResponseGroup struct {
	Kind   string `json:"kind"`
	Code   string `json:"code"` // the aspect's or area's name, or the part code
	Points int    `json:"points"`
	Max    int    `json:"max"`
	Passed bool   `json:"passed"`
}

// MaxAge is the oldest respondent age accepted.
const MaxAge = 120

// ValidateRespondent normalises and checks the respondent fields of a
// response typed in without a person at time now; it returns EINVALID with
// the fields at fault. A response of a person takes these from the person
// and skips this check.
func (r *Response) ValidateRespondent(now time.Time) error {
	var fe []FieldError
	r.Name = strings.TrimSpace(r.Name)
	switch n := len([]rune(r.Name)); {
	case n == 0:
		fe = append(fe, FieldError{Field: "name", Message: "field.required"})
	case n > MaxNameLen:
		fe = append(fe, FieldError{Field: "name", Message: "person.name.too_long"})
	}
	if r.Sex != "M" && r.Sex != "F" {
		fe = append(fe, FieldError{Field: "sex", Message: "person.sex.invalid", Value: r.Sex})
	}
	if r.Age < 0 || r.Age > MaxAge {
		fe = append(fe, FieldError{Field: "age", Message: "response.age.invalid"})
	}
	return Invalid(fe)
}

// ValidateSurveyDate defaults an empty survey date to now's campaign day and
// checks it is a YYYY-MM-DD date not after that day (Asia/Shanghai, as the
// officer's phone counts it); EINVALID on survey_date otherwise.
func (r *Response) ValidateSurveyDate(now time.Time) error {
	if r.SurveyDate == "" {
		r.SurveyDate = CampaignDay(now)
	}
	t, err := time.Parse(time.DateOnly, r.SurveyDate)
	if err != nil || !dateRE.MatchString(r.SurveyDate) || r.SurveyDate > CampaignDay(now) || t.Year() < 2000 {
		return Invalid([]FieldError{{Field: "survey_date", Message: "response.survey_date.invalid", Value: r.SurveyDate}})
	}
	return nil
}

// ResponseFilter selects responses.
type ResponseFilter struct {
	Questionnaire string // code; required
	Division      string // everything under this division; the caller's scope when empty
	Offset        int
	Limit         int
}

// QuestionnaireVersion describes a stored questionnaire version.
type QuestionnaireVersion struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code"`
	Version   int       `json:"version"`
	Label     string    `json:"label"` // the file's own version, e.g. "2020"
	Name      string    `json:"name"`
	Items     int       `json:"items"`
	MaxPoints int       `json:"max_points"`
	Responses int       `json:"responses"` // stored responses of the code, all versions
	Stale     int       `json:"stale"`     // of them scored against an older version
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// CanEnterResponses reports whether the actor may enter questionnaire
// responses of respondents in code: those who write persons there.
func (a *Actor) CanEnterResponses(code string) bool { return a.CanWritePersons(code) }

// CanManageQuestionnaires reports whether the actor may load questionnaires
// and re-score responses: the county office and the system.
func (a *Actor) CanManageQuestionnaires() bool {
	return a != nil && (a.System || a.Role == RoleCountyAdmin)
}

// QuestionnaireService stores questionnaire versions and responses. Q is
// the parsed questionnaire (*questionnaire.Questionnaire): a type
// parameter, because package questionnaire imports this one.
type QuestionnaireService[Q any] interface {
	// LoadQuestionnaire parses src (the YAML format of package questionnaire) and stores it
	// as the next version of its code unless it equals the latest one; created
	// reports whether a version was added. EINVALID with the lines at fault
	// for a bad file, EFORBIDDEN unless the caller manages questionnaires.
	LoadQuestionnaire(ctx context.Context, src []byte) (v *QuestionnaireVersion, created bool, err error)
	// FindQuestionnaires lists the latest version of every questionnaire.
	FindQuestionnaires(ctx context.Context) ([]*QuestionnaireVersion, error)
	// FindQuestionnaire returns the latest version of code; ENOTFOUND when
	// there is none.
	FindQuestionnaire(ctx context.Context, code string) (*QuestionnaireVersion, Q, error)
	// CreateResponse checks, scores and stores r against the latest version
	// of r.Questionnaire in one audited transaction. EINVALID with the fields
	// at fault (answers.<item> for answers) and nothing stored for bad
	// answers or a respondent outside the caller's scope.
	CreateResponse(ctx context.Context, r *Response) error
	// FindResponses lists the responses in the caller's scope, newest first,
	// without their answers; ENOTFOUND for a division outside it.
	FindResponses(ctx context.Context, f ResponseFilter) ([]*Response, int, error)
	// FindResponse returns one response with its answers and groups;
	// ENOTFOUND when missing or outside the caller's scope.
	FindResponse(ctx context.Context, id int64) (*Response, error)
	// SetResponseActive withdraws (false) or restores a response, audited;
	// ENOTFOUND out of scope, EFORBIDDEN for those who may not enter there.
	SetResponseActive(ctx context.Context, id int64, active bool) (*Response, error)
	// Rescore scores every response of code against its latest version in
	// one audited transaction and returns how many changed score. EINVALID
	// when a stored answer does not fit the latest version.
	Rescore(ctx context.Context, code string) (changed int, err error)
}
