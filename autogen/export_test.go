package autogen

// DefaultValue exposes defaultValue to the scenario harness (package
// autogen_test): two defaults of a column compare equal by value when
// their keys do.
func DefaultValue(dialect, typ, expr string) (string, bool) { return defaultValue(dialect, typ, expr) }
