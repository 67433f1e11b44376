// Package web is the HTTP face of healthcell: server-rendered pages in
// Simplified Chinese (English on request), the JSON API under /api/v1, and
// /healthz and /metrics. It speaks to storage only through the service
// interfaces of the domain package.
package web

import (
	"context"
	"embed"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/importer"
	"github.com/healthcell/healthcell/locale"
	"github.com/healthcell/healthcell/questionnaire"
	"github.com/healthcell/healthcell/report"
)

//go:embed templates static
var assets embed.FS

// Services are the domain services the web layer uses.
type Services struct {
	Divisions  healthcell.DivisionService
	Households healthcell.HouseholdService
	Persons    healthcell.PersonService
	Users      healthcell.UserService
	Audit      healthcell.AuditService
	Standards  healthcell.StandardService
	Sheets     healthcell.ScoreSheetService
	Units      healthcell.UnitService
	Registers  healthcell.RegisterService
	Reconcile  healthcell.ReconcileService
	// Questionnaires stores questionnaire versions and responses.
	Questionnaires healthcell.QuestionnaireService[*questionnaire.Questionnaire]
	// The creation workflow: applications, rectification items, bulletins,
	// and the public list of named units of a county (no login).
	Applications   healthcell.ApplicationService
	Rectifications healthcell.RectificationService
	Bulletins      healthcell.BulletinService
	Inspections    healthcell.InspectionService
	NamedUnits     func(ctx context.Context, county string) ([]*healthcell.Application, error)
	// Plans keeps campaign plans (工作方案) and their progress.
	Plans healthcell.PlanService
	// Indicators computes indicators and check-up due lists.
	Indicators healthcell.IndicatorService
	// Summaries counts a campaign's progress for its stage and year-end
	// summaries; SummaryGoals, when set, gives the goals they measure
	// against (a plan's goals per kind of unit), else the campaign's
	// targets per township are the goals.
	Summaries    healthcell.SummaryService
	SummaryGoals func(ctx context.Context, c *healthcell.Campaign) ([]report.SummaryGoal, error)
	// UserByID finds the enabled user behind a session; ENOTFOUND otherwise.
	UserByID func(ctx context.Context, id int64) (*healthcell.User, error)
	// PublicCounties lists the counties loaded, for the public links to
	// their named units; nil shows none.
	PublicCounties func(ctx context.Context) ([]healthcell.Division, error)
	// DisplayNames maps usernames to display names, for pages that name
	// who acted; nil shows the usernames.
	DisplayNames func(ctx context.Context, usernames []string) (map[string]string, error)
	// Villages lists the villages under a division, for pickers.
	Villages func(ctx context.Context, code string) ([]healthcell.Division, error)
	// Ping reports whether storage answers.
	Ping func(ctx context.Context) error
	// Residents stores resident and household imports (all or nothing).
	Residents healthcell.ResidentImportService
	// Families: bulk 健康家庭 applications and sampled bulk checks.
	Families healthcell.FamilyService
	// NamingBatches: sampling (抽查) of recommended units by the office
	// that names them above the county.
	NamingBatches healthcell.NamingBatchService
	// Surveys publishes questionnaires and stores the public's answers (the
	// quiz and the surveys the county writes); nil turns the public pages off.
	Surveys healthcell.SurveyService[*questionnaire.Questionnaire]
	// Tokens manages personal API tokens; nil turns them off (bearer
	// requests are then 401).
	Tokens healthcell.TokenService
	// Articles keeps the county's health-knowledge articles and serves
	// the public pages (issue 15); nil: the public pages are 404.
	Articles healthcell.ArticleService
	// Idempotency keeps the answers of creates sent with an
	// Idempotency-Key; nil ignores the header.
	Idempotency healthcell.IdempotencyService
	// ReplicaStatus, when set, reports the read replica's lag for
	// /metrics (healthcell_db_replica_*); nil without a replica.
	ReplicaStatus func(ctx context.Context) (healthcell.ReplicaStatus, error)
}

// Config holds the server's settings.
type Config struct {
	// SecureCookies marks the session cookie Secure; set it when served over TLS.
	SecureCookies bool
	// TrustProxy takes the client address from X-Forwarded-For (behind a reverse proxy).
	TrustProxy bool
	// Definitions are the registers, indicators, workflow and rules the
	// server works with (catalog.Load for the shipped ones); required.
	Definitions *catalog.Definitions
	// ResidentTable is the column definition of resident files
	// (imports.Table("residents") for the shipped one); required.
	ResidentTable *importer.Table
	// Metrics restricts GET /metrics to a token or an address list
	// (metrics_guard.go); the zero value leaves it open.
	Metrics MetricsAccess
	// SessionStore keeps sessions; required.
	SessionStore scs.Store
	// Logger receives request and error logs; slog.Default() when nil.
	Logger *slog.Logger
	// PublicSubmitLimit is how many public answers one address, and one
	// device, may send an hour: 0 for DefaultPublicSubmitLimit, negative for
	// no limit (load tests).
	PublicSubmitLimit int
	// Now returns the current time; time.Now when nil.
	Now func() time.Time
	// PublicURL is the address residents reach the server at (scheme and
	// host, e.g. https://jk.example.cn), for QR codes and posters; when
	// empty it is taken from each request (publicBase).
	PublicURL string
	// AfterSyncItem, when set, is called after each item of a sync batch
	// with the request's context and the number of items done; tests use
	// it to drop the connection half-way.
	AfterSyncItem func(ctx context.Context, done int)
}

// Server serves the web pages and the API.
type Server struct {
	svc      Services
	cfg      Config
	log      *slog.Logger
	sessions *scs.SessionManager
	tmpl     *templates
	i18n     *locale.Catalog
	throttle *throttle
	submits  *publicLimiter // public quiz and survey answers (public_limit.go)
	metrics  *metrics
	handler  http.Handler
	mux      *http.ServeMux // the route table, for the items of a sync batch
	imports  importJobs
	public   publicCache
	// quizParts is the HTML of a quiz bank's questions by quizItemKey.
	quizParts sync.Map
	qrImages  qrCache
}

// New builds a server, parsing every template and message file; it returns
// an error when one of them is broken, so a bad build fails at start-up,
// or when the definitions or the resident table are missing.
func New(cfg Config, svc Services) (*Server, error) {
	if cfg.Definitions == nil || cfg.Definitions.Registers == nil || cfg.Definitions.Creation == nil || cfg.ResidentTable == nil {
		return nil, errors.New("web: the definitions and the resident table are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{svc: svc, cfg: cfg, log: cfg.Logger}
	var err error
	if s.i18n, err = locale.New(); err != nil {
		return nil, err
	}
	if s.tmpl, err = parseTemplates(s.i18n); err != nil {
		return nil, err
	}
	sm := scs.New()
	sm.Store = cfg.SessionStore
	sm.Codec = sessionCodec{}
	// An absolute lifetime of a working day. No idle timeout: scs would then
	// rewrite the session on every request, a write per page view.
	sm.Lifetime = 10 * time.Hour
	sm.Cookie.Name = "healthcell_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.SecureCookies
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		s.log.Error("session", "err", err)
		http.Error(w, "session error", http.StatusInternalServerError)
	}
	s.sessions = sm
	s.throttle = newThrottle(cfg.Now)
	s.submits = newPublicLimiter(cfg.PublicSubmitLimit, cfg.Now)
	s.metrics = newMetrics(prometheus.NewRegistry())
	if svc.ReplicaStatus != nil {
		s.metrics.reg.MustRegister(newReplicaCollector(svc.ReplicaStatus, s.log))
	}
	s.mux = s.routes()
	s.handler = s.middleware(s.mux)
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// staticFS returns the embedded static files.
func staticFS() fs.FS {
	sub, _ := fs.Sub(assets, "static")
	return sub
}
