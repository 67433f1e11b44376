package sqlstore_test

import (
	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/questionnaire"
	"github.com/healthcell/healthcell/sqlstore"
)

// The storage interfaces are declared once, in the root package; the
// database implements them all.
var (
	_ healthcell.QuestionnaireService[*questionnaire.Questionnaire] = (*sqlstore.DB)(nil)
	_ healthcell.SurveyService[*questionnaire.Questionnaire]        = (*sqlstore.DB)(nil)
	_ healthcell.ResidentImportService                              = (*sqlstore.DB)(nil)
	_ healthcell.EntryImportService                                 = (*sqlstore.DB)(nil)
	_ healthcell.RegisterService                                    = (*sqlstore.DB)(nil)
	_ healthcell.PersonService                                      = (*sqlstore.DB)(nil)
	_ healthcell.ScoreSheetService                                  = (*sqlstore.DB)(nil)
	_ healthcell.ApplicationService                                 = (*sqlstore.DB)(nil)
	_ healthcell.IndicatorService                                   = (*sqlstore.DB)(nil)
	_ healthcell.FamilyService                                      = (*sqlstore.DB)(nil)
	_ healthcell.PlanService                                        = (*sqlstore.DB)(nil)
	_ healthcell.TokenService                                       = (*sqlstore.DB)(nil)
)
