package workflow

// Message keys of the errors this package returns; workflow/messages.md has
// their zh-CN and en sentences.
const (
	// Apply.
	MsgStateUnknown      = "workflow.state.unknown"      // EINVALID: no such state (also Load)
	MsgActionUnknown     = "workflow.action.unknown"     // EINVALID: no such action
	MsgTransitionInvalid = "workflow.transition.invalid" // ECONFLICT: the action is not allowed from this state
	MsgRoleForbidden     = "workflow.role.forbidden"     // EFORBIDDEN: the actor's role may not take it
	MsgLevelForbidden    = "workflow.level.forbidden"    // EFORBIDDEN: the actor is not at the right level for this unit
	MsgCommentRequired   = "workflow.comment.required"   // EINVALID: a comment is required
	MsgGuardPrefix       = "workflow.guard."             // EINVALID: followed by the guard's name
	MsgBatchOnly         = "workflow.batch.only"         // EFORBIDDEN: the transition is taken only by a sampling batch's decision

	// Load.
	MsgFileUnreadable   = "workflow.file.unreadable"      // Load: the reader failed; Value has why
	MsgFileEmpty        = "workflow.file.empty"           // Load: nothing but blanks and comments
	MsgYAMLSyntax       = "workflow.yaml.syntax"          // Load: not YAML of this format; Value has the parser's message
	MsgFieldRequired    = "workflow.field.required"       // Load: a required key is missing or empty
	MsgCodeInvalid      = "workflow.code.invalid"         // Load: a state or action code is not [a-z][a-z0-9_]*
	MsgStateDuplicate   = "workflow.state.duplicate"      // Load: a state code used twice; Value names the first line
	MsgStateTerminal    = "workflow.state.terminal"       // Load: a transition leaves a terminal state
	MsgStateUnreachable = "workflow.state.unreachable"    // Load: no path from the initial state
	MsgStateDeadEnd     = "workflow.state.dead_end"       // Load: a non-terminal state with no way out
	MsgActionDuplicate  = "workflow.action.duplicate"     // Load: an action code used twice; Value names the first line
	MsgRoleUnknown      = "workflow.role.unknown"         // Load: not a healthcell role
	MsgLevelSource      = "workflow.level.source"         // Load: a level given for a state that is not a source of the transition
	MsgLevelUnknown     = "workflow.level.unknown"        // Load: not self, township or county
	MsgGuardUnknown     = "workflow.guard.unknown"        // Load: no guard registered by that name
	MsgCommentInvalid   = "workflow.comment.invalid"      // Load: comment is neither required nor optional
	MsgReviewYears      = "workflow.review_years.invalid" // Load: review_years is not 0 to 20
	// Load: a cell type listed twice under named_above.
	MsgNamedAboveDuplicate = "workflow.named_above.duplicate"
	// Load: sampling's percent is not 1 to 100.
	MsgSamplingPercent = "workflow.sampling.percent"
	// Load: sampling's pass_rest is not a transition marked batch, or its
	// pass or fail is one.
	MsgSamplingBatch = "workflow.sampling.batch"
	// Load: a transition marked batch that is not the sampling's pass_rest.
	MsgBatchUnused = "workflow.batch.unused"
)
