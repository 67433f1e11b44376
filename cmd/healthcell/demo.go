package main

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/demo"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/web"
)

// demoCounty is the county the demo builds: 苍溪县, Guangyuan, Sichuan.
const demoCounty = "510824"

// demoSeed fixes the synthetic population.
const demoSeed = 20251

// demoAccount is one account per role, printed at start.
type demoAccount struct {
	Username, Name string
	Role           healthcell.Role
	Scope          string
	Unit           string // the demo unit's name, for role unit
}

var demoAccounts = []demoAccount{
	{"admin", "县爱卫办管理员", healthcell.RoleCountyAdmin, "510824000000", ""},
	{"jiaoyu", "县教科体局", healthcell.RoleDepartment, "510824000000", ""}, // its department is its name
	{"lingjiang", "陵江镇干部", healthcell.RoleTownship, "510824100000", ""},
	{"jinsui", "金穗社区干部", healthcell.RoleVillage, "510824100001", ""},
	{"xuexiao", "陵江小学联络员", healthcell.RoleUnit, "510824100001", "苍溪县陵江小学"},
	{"zhuanjia", "评估专家", healthcell.RoleEvaluator, "510824000000", ""},
	{"lingdao", "领导小组", healthcell.RoleViewer, "510824000000", ""},
	{"chaotian", "朝天区爱卫办管理员", healthcell.RoleCountyAdmin, "510812000000", ""},
	{"shi", "广元市爱卫办管理员", healthcell.RoleCityAdmin, demoCity, ""},
	{"shizhuanjia", "广元市考核专家", healthcell.RoleCityEvaluator, demoCity, ""},
}

// DemoPassword is the password of every demo account.
const DemoPassword = "healthcell2025"

// runDemo builds (or reuses) the demo county and serves it.
func (m *Main) runDemo(ctx context.Context, args []string) error {
	fs, dsn := m.flags("demo")
	scaleName := fs.String("scale", "small", "small (≈5,000 residents), county (≈780,000) or city (≈780,000 in each county of --city)")
	city := fs.String("city", demoCity[:4], "with --scale city: the 4-digit city code, from the shipped divisions of 四川省")
	counties := fs.Int("counties", 0, "with --scale city: fill only the city's first N counties (0: all)")
	addr := fs.String("addr", ":8080", "listen address")
	buildOnly := fs.Bool("build-only", false, "build the database and exit without serving")
	if err := fs.Parse(args); err != nil {
		return err
	}
	scale, err := demo.ParseScale(*scaleName)
	if err != nil {
		return err
	}
	db, err := m.open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if scale == demo.City {
		err = m.buildCity(ctx, db, *city, *counties, *dsn)
	} else {
		err = m.buildDemo(ctx, db, scale, *dsn)
	}
	if err != nil {
		return err
	}
	m.printAccounts()
	if scale == demo.City {
		a := cityAccount(*city)
		fmt.Fprintf(m.Stdout, "city account: %s (%s, scope %s)\n\n", a.Username, a.Role, a.Scope)
	}
	if *buildOnly {
		return nil
	}
	go m.warmIndicators(ctx, db)
	return m.serve(ctx, db, *addr, web.Config{})
}

// buildDemo loads the divisions, the population (when the database has none)
// and the accounts (those missing). Each step is one transaction, so a
// killed build leaves a consistent database that the next run completes.
func (m *Main) buildDemo(ctx context.Context, db *sqlstore.DB, scale demo.Scale, dsn string) error {
	sys := system(ctx)
	start := time.Now()
	divs, err := catalog.Divisions(demoCounty)
	if err != nil {
		return err
	}
	if _, err := db.LoadDivisions(sys, divs); err != nil {
		return err
	}
	county, err := db.FindDivision(sys, demoCounty+"000000")
	if err != nil {
		return err
	}
	if county.Households == 0 {
		villages, err := db.FindVillages(sys, county.Code)
		if err != nil {
			return err
		}
		now := db.Now()
		fmt.Fprintf(m.Stderr, "building the %s demo county (%s scale)…\n", county.Name, scale)
		h, p, err := db.LoadPopulation(sys, func(emit func(*healthcell.Household, []*healthcell.Person) error) error {
			return demo.Population(villages, scale, demoSeed, now, emit)
		})
		if err != nil {
			return fmt.Errorf("demo population: %w", err)
		}
		fmt.Fprintf(m.Stderr, "built %d households and %d residents in %.1f s on %s\n", h, p, time.Since(start).Seconds(), db.Engine)
	} else {
		fmt.Fprint(m.Stderr, demo.ReuseMessage(scale, county.Households, county.Persons, dsn))
	}
	if err := m.demoNeighbourCounty(sys, db); err != nil {
		return err
	}
	if _, err := loadCatalogStandards(sys, db); err != nil {
		return err
	}
	if _, err := loadCatalogQuestionnaires(sys, db, true); err != nil {
		return err
	}
	villages, err := db.FindVillages(sys, county.Code)
	if err != nil {
		return err
	}
	if err := m.demoSurveys(sys, db, scale, villages, demoSeed); err != nil {
		return err
	}
	if err := m.demoPublic(sys, db, villages); err != nil {
		return err
	}
	units, err := m.demoUnits(sys, db)
	if err != nil {
		return err
	}
	if err := m.demoRegisters(sys, db, county.Code, demoSeed); err != nil {
		return err
	}
	if err := m.demoWorkflow(sys, db); err != nil {
		return err
	}
	if err := m.demoPlan(sys, db); err != nil {
		return err
	}
	if err := m.demoPublishedArticles(sys, db); err != nil {
		return err
	}
	for _, a := range demoAccounts {
		u := &healthcell.User{Username: a.Username, DisplayName: a.Name, Role: a.Role, Scope: a.Scope, Unit: units[a.Unit]}
		if a.Role == healthcell.RoleDepartment {
			u.Department = a.Name // the department whose institutions it evaluates
		}
		err := db.CreateUser(sys, u, DemoPassword)
		if err != nil && healthcell.ErrorCode(err) != healthcell.ECONFLICT {
			return fmt.Errorf("demo account %s: %w", a.Username, err)
		}
	}
	return nil
}

func (m *Main) printAccounts() {
	fmt.Fprintf(m.Stdout, "\ndemo accounts (password for all: %s)\n", DemoPassword)
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  USERNAME\tROLE\tSCOPE\tWHO")
	for _, a := range demoAccounts {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", a.Username, a.Role, a.Scope, a.Name)
	}
	tw.Flush()
	fmt.Fprintln(m.Stdout)
}

// demoUnitList are the institutions of the demo county.
var demoUnitList = []healthcell.Unit{
	{Kind: "school", Name: "苍溪县陵江小学", Division: "510824100001", Department: "县教科体局"},
	{Kind: "school", Name: "苍溪中学", Division: "510824100002", Department: "县教科体局"},
	{Kind: "hospital", Name: "苍溪县人民医院", Division: "510824100003", Department: "县卫健局"},
	{Kind: "hospital", Name: "陵江镇中心卫生院", Division: "510824100000", Department: "县卫健局"},
	{Kind: "hospital", Name: "云峰镇卫生院", Division: "510824102000", Department: "县卫健局"},
	{Kind: "agency", Name: "苍溪县卫生健康局", Division: "510824100004", Department: "县爱卫办"},
	{Kind: "enterprise", Name: "苍溪县红心猕猴桃产业有限公司", Division: "510824104000", Department: "县经信局"},
}

// demoUnits creates the demo institutions that are missing and returns
// their ids by name.
func (m *Main) demoUnits(ctx context.Context, db *sqlstore.DB) (map[string]string, error) {
	existing, err := db.FindUnits(ctx, demoCounty+"000000")
	if err != nil {
		return nil, err
	}
	ids := map[string]string{}
	for _, u := range existing {
		ids[u.Name] = strconv.FormatInt(u.ID, 10)
	}
	for _, u := range demoUnitList {
		if _, ok := ids[u.Name]; ok {
			continue
		}
		if err := db.CreateUnit(ctx, &u); err != nil {
			return nil, fmt.Errorf("demo unit %s: %w", u.Name, err)
		}
		ids[u.Name] = strconv.FormatInt(u.ID, 10)
	}
	return ids, nil
}
