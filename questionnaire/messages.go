package questionnaire

// Message keys of Parse's field errors. Row is the YAML line at fault; Field
// the dotted key ("code", "items.answer", "counts.single", …); Value the
// offending value or what was expected.
const (
	MsgFileUnreadable   = "questionnaire.file.unreadable"   // the reader failed
	MsgFileEmpty        = "questionnaire.file.empty"        // nothing but blanks and comments
	MsgYAMLSyntax       = "questionnaire.yaml.syntax"       // not YAML, several documents, or an alias; Value has the detail
	MsgKeyUnknown       = "questionnaire.key.unknown"       // a key this format does not have
	MsgKeyDuplicate     = "questionnaire.key.duplicate"     // a key given twice in one mapping
	MsgValueInvalid     = "questionnaire.value.invalid"     // a value of the wrong kind (a list for a text, a word for a number)
	MsgRequired         = "questionnaire.field.required"    // a required key is missing or blank
	MsgCodeInvalid      = "questionnaire.code.invalid"      // a code with spaces or / \ ? # %
	MsgCodeDuplicate    = "questionnaire.code.duplicate"    // two questionnaires with one code (LoadDir)
	MsgPassRateInvalid  = "questionnaire.pass_rate.invalid" // not in (0, 1]
	MsgAgeInvalid       = "questionnaire.age.invalid"       // not 0 ≤ min ≤ max ≤ 150
	MsgTypeUnknown      = "questionnaire.type.unknown"      // an item type other than truefalse, single, multiple
	MsgOptionInvalid    = "questionnaire.option.invalid"    // an option label out of order (A, B, C …) or past E
	MsgOptionsCount     = "questionnaire.options.count"     // too few options for the type
	MsgOptionsForbidden = "questionnaire.options.forbidden" // options on a true/false item
	MsgAnswerUnknown    = "questionnaire.answer.unknown"    // a key that is not among the options
	MsgAnswerDuplicate  = "questionnaire.answer.duplicate"  // a key label given twice
	MsgAnswerMultiple   = "questionnaire.answer.multiple"   // a multiple-choice item with fewer than two keys
	MsgAnswerSingle     = "questionnaire.answer.single"     // a true/false or single-choice item with several keys
	MsgKeyBoth          = "questionnaire.key.both"          // an item with both answer and satisfied
	MsgItemDuplicate    = "questionnaire.item.duplicate"    // an item code used twice; Value names the first line
	MsgPointsInvalid    = "questionnaire.points.invalid"    // points not in 1–100
	MsgPointsTotal      = "questionnaire.points.total"      // total_points differs from the items' sum
	MsgCountMismatch    = "questionnaire.count.mismatch"    // a declared count per type differs from the items
	MsgGroupMismatch    = "questionnaire.group.mismatch"    // a declared aspect, area or part count differs from the items
	MsgGroupDuplicate   = "questionnaire.group.duplicate"   // an aspect, area, part or scenario declared twice
	MsgAspectUnknown    = "questionnaire.aspect.unknown"    // an item's aspect not declared
	MsgAreaUnknown      = "questionnaire.area.unknown"      // an item's area not declared
	MsgPartUnknown      = "questionnaire.part.unknown"      // an item's part not declared, or a part code other than knowledge, behaviour
	MsgScenarioUnknown  = "questionnaire.scenario.unknown"  // an item's scenario not declared
	MsgScenarioUnused   = "questionnaire.scenario.unused"   // a scenario no item belongs to
)
