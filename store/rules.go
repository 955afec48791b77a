package store

import "errors"

// RuleError is what Check finds in a record that breaks a rule writes
// follow now: one an earlier tandem wrote under looser rules (two people
// whose names differ only by case, a title with a control character), or
// one edited by hand. The workspace is whole, so restore and import take
// it; the record's next edit must meet the rule.
type RuleError struct{ Err error }

func (e *RuleError) Error() string {
	return "a record breaks a rule writes follow now: " + e.Err.Error() + "; edit the record to meet it"
}

func (e *RuleError) Unwrap() error { return e.Err }

// IsRuleError reports whether err is only a record breaking a write rule,
// not damage.
func IsRuleError(err error) bool {
	var rule *RuleError
	return errors.As(err, &rule)
}
