package healthcell

import (
	"context"
	"time"
)

// Kinds of survey (Survey.Kind).
const (
	SurveyQuiz         = "quiz"         // 健康知识答题: items drawn from a bank, outreach reach
	SurveyAwareness    = "awareness"    // 政策知晓: correct answers, 知晓率
	SurveySatisfaction = "satisfaction" // 满意度: a satisfied set per item, 满意率
	SurveyKnowledge    = "knowledge"    // 知识与行为
)

// Channels a survey is published on (Survey.Channel).
const (
	ChannelOfficer = "officer" // entered by officers (today's entry pages)
	ChannelPublic  = "public"  // answered by residents through the village's QR code
	ChannelBoth    = "both"
)

// QuizCode is the code of the public health-knowledge quiz's question bank.
const QuizCode = "health-quiz"

// QuizItems is how many items a quiz draws from its bank.
const QuizItems = 10

// SurveyKinds and SurveyChannels are the accepted values, in display order.
var (
	SurveyKinds    = []string{SurveyAwareness, SurveySatisfaction, SurveyKnowledge, SurveyQuiz}
	SurveyChannels = []string{ChannelOfficer, ChannelPublic, ChannelBoth}
)

// Survey is how a questionnaire is published: its kind, its channel and
// whether public answers are closed.
type Survey struct {
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Kind      string    `json:"kind"`
	Channel   string    `json:"channel"`
	Closed    bool      `json:"closed"`
	UpdatedBy string    `json:"updated_by"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Public reports whether residents may answer the survey now.
func (s *Survey) Public() bool {
	return s != nil && !s.Closed && (s.Channel == ChannelPublic || s.Channel == ChannelBoth)
}

// Validate checks kind and channel; EINVALID with the field at fault.
func (s *Survey) Validate() error {
	var fe []FieldError
	if !contains(SurveyKinds, s.Kind) {
		fe = append(fe, FieldError{Field: "kind", Message: "survey.kind.invalid", Value: s.Kind})
	}
	if !contains(SurveyChannels, s.Channel) {
		fe = append(fe, FieldError{Field: "channel", Message: "survey.channel.invalid", Value: s.Channel})
	}
	return Invalid(fe)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// PublicSubmission is one resident's answers sent from a public page.
type PublicSubmission struct {
	Questionnaire string
	VillageCode   string
	// Items are the items answered, for a quiz drawn from a bank; nil means
	// every item of the questionnaire.
	Items   []string
	Answers map[string][]string
	Name    string // optional
	Phone   string // optional
	// Client identifies the device (its cookie, else its address): a repeat
	// of the same answers from one client within DuplicateWindow is dropped.
	Client string
}

// DuplicateWindow is how long a repeat submission is recognised.
const DuplicateWindow = 10 * time.Minute

// PublicResult is what a public result page shows: the scored response
// (without name or phone) and the village's name.
type PublicResult struct {
	Response    *Response
	Items       []string // the items answered, in order
	VillageName string
}

// SurveyVillage is a survey's result in one village: respondents, how many
// passed (were satisfied, knew the policy), and per item the answers that
// scored.
type SurveyVillage struct {
	Village     string         `json:"village"`
	Name        string         `json:"name"`
	Respondents int            `json:"respondents"`
	Public      int            `json:"public"` // of them answered in public
	Passed      int            `json:"passed"`
	Items       map[string]int `json:"items"` // item code → answers that scored
}

// SurveyService publishes surveys and stores public answers. Q is the
// parsed questionnaire (*questionnaire.Questionnaire), a type parameter as
// in QuestionnaireService.
type SurveyService[Q any] interface {
	// SaveSurvey writes how a questionnaire is published; EFORBIDDEN unless
	// the caller manages questionnaires, ENOTFOUND for an unknown
	// questionnaire, EINVALID for a bad kind or channel.
	SaveSurvey(ctx context.Context, s *Survey) error
	// FindSurvey returns how code is published (no login needed); ENOTFOUND
	// when it is not.
	FindSurvey(ctx context.Context, code string) (*Survey, error)
	// FindSurveys lists every published questionnaire, by code.
	FindSurveys(ctx context.Context) ([]*Survey, error)
	// CreatePublicResponse scores and stores a resident's answers, returning
	// the result's token; dup is true (and the earlier token returned) when
	// the same client sent the same answers within DuplicateWindow.
	// ENOTFOUND for a survey not open to the public or an unknown village,
	// EINVALID (answers.<item>, phone, name) for bad answers.
	CreatePublicResponse(ctx context.Context, sub *PublicSubmission) (token string, dup bool, err error)
	// FindPublicResult returns the result behind a token; ENOTFOUND when none.
	FindPublicResult(ctx context.Context, token string) (*PublicResult, error)
	// SurveyResults returns code's results per village under division (the
	// caller's scope when empty); ENOTFOUND outside it.
	SurveyResults(ctx context.Context, code, division string) ([]SurveyVillage, error)
	// PublicQuestionnaire returns a survey open to the public, its latest
	// definition and the village's name; ENOTFOUND when the survey is not
	// open (the survey is still returned when it exists but is closed) or
	// the code is not a village.
	PublicQuestionnaire(ctx context.Context, code, village string) (*Survey, Q, string, error)
}
