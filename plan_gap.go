package healthcell

// Gaps is what stands between the units of a village or township and
// naming in a campaign: for each application not named, the items of its
// latest score sheet that are failing or unanswered, and, for families, the
// households still under way.
type Gaps struct {
	CampaignID int64        `json:"campaign_id"`
	Division   string       `json:"division"`
	Name       string       `json:"name"`
	Units      []UnitGaps   `json:"units"`      // applications of villages and communities not yet named, with their items
	Households []FamilyGap  `json:"households"` // family applications under way, at most 200
	Without    int          `json:"without"`    // households with no family application in the campaign
	Villages   []VillageGap `json:"villages"`   // for a township: each village's count of gaps
}

// UnitGaps is one application with the score-sheet items it lacks.
type UnitGaps struct {
	ApplicationID int64     `json:"application_id"`
	UnitName      string    `json:"unit_name"`
	Division      string    `json:"division"`
	CellType      string    `json:"cell_type"`
	State         string    `json:"state"`
	SheetID       int64     `json:"sheet_id,omitempty"` // the latest sheet (evaluation before self-assessment); 0 when there is none
	Items         []GapItem `json:"items"`
}

// GapItem is an item of a score sheet that is failing or unanswered.
type GapItem struct {
	Code          string  `json:"code"`
	Section       string  `json:"section"`
	Text          string  `json:"text"`
	Max           float64 `json:"max"`
	Score         float64 `json:"score"`
	Answered      bool    `json:"answered"`
	Rectification int64   `json:"rectification,omitempty"` // the open rectification item made of it
}

// FamilyGap is a household whose family application is not named yet.
type FamilyGap struct {
	ApplicationID int64  `json:"application_id"`
	UnitName      string `json:"unit_name"`
	Division      string `json:"division"`
	State         string `json:"state"`
	Failing       int    `json:"failing"` // failing or unanswered items of its latest sheet
}

// VillageGap counts a village's gaps.
type VillageGap struct {
	Division string `json:"division"`
	Name     string `json:"name"`
	Items    int    `json:"items"`    // failing or unanswered items of its applications
	Families int    `json:"families"` // family applications under way
}
