package sqlstore

import (
	"context"
	"fmt"
	"strconv"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/register"
)

// MsgAbovePopulation is the field error of a number (an activity's
// attendance) above the village's active population.
const MsgAbovePopulation = "register.above_population"

// populationChecks refuses, for each field of d marked at_most_population,
// a value above the active population of village (from village_stats, kept
// current in every write). A village with no residents recorded yet (before
// its baseline survey) has no known population, and nothing is refused. It
// returns one field error per such field.
func populationChecks(ctx context.Context, q queryer, d *register.Def, village string, v register.Values) ([]healthcell.FieldError, error) {
	var fe []healthcell.FieldError
	pop := int64(-1)
	for _, f := range d.Fields {
		if !f.AtMostPopulation {
			continue
		}
		n, ok := v[f.Code].(int64)
		if !ok {
			continue
		}
		if pop < 0 {
			pop = 0
			if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(persons), 0) FROM village_stats WHERE village_code = $1`, village).Scan(&pop); err != nil {
				return nil, fmt.Errorf("village population: %w", err)
			}
		}
		if pop > 0 && n > pop {
			fe = append(fe, healthcell.FieldError{Field: f.Code, Message: MsgAbovePopulation, Value: strconv.FormatInt(n, 10) + " > " + strconv.FormatInt(pop, 10)})
		}
	}
	return fe, nil
}
