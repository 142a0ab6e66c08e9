package provider

import (
	"maps"
	"math/big"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
)

// Every plan runs Read once per resource. The framework's reflection
// (State.Get and State.Set into a model struct) cost as much CPU as the rest
// of ghpkg's Read in a profile of 1000 packages: it walks the struct's tags
// and compiles a regular expression per field on every call (see
// BENCHMARKS.md). So the hot paths read and write the state's raw object;
// the schema still decides every attribute's type.

// rawAttributes are a state object's top-level attributes.
type rawAttributes map[string]tftypes.Value

// attributesOf reads the raw object of a state.
func attributesOf(state tfsdk.State) (rawAttributes, error) {
	attrs := rawAttributes{}
	return attrs, state.Raw.As((*map[string]tftypes.Value)(&attrs))
}

// str is a string attribute, "" when null, unknown or absent.
func (a rawAttributes) str(name string) string {
	var s *string
	if v, ok := a[name]; ok && v.IsKnown() && v.As(&s) == nil && s != nil {
		return *s
	}
	return ""
}

// int64 is a number attribute; ok is false when null, unknown or absent.
func (a rawAttributes) int64(name string) (int64, bool) {
	var f *big.Float
	if v, ok := a[name]; ok && v.IsKnown() && v.As(&f) == nil && f != nil {
		n, _ := f.Int64()
		return n, true
	}
	return 0, false
}

// packageRef is the package a state of the owner's scope names.
func (o ownerSpec) packageRef(a rawAttributes) ghapi.PackageRef {
	return ghapi.PackageRef{Scope: o.scope, Owner: a.str(o.attribute), Type: a.str("package_type"), Name: a.str("package_name")}
}

// overlay writes values over the state's attributes, the others kept.
func overlay(state *tfsdk.State, values rawAttributes) error {
	attrs, err := attributesOf(*state)
	if err != nil {
		return err
	}
	maps.Copy(attrs, values)
	state.Raw = tftypes.NewValue(state.Raw.Type(), map[string]tftypes.Value(attrs))
	return nil
}

func rawString(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

// rawOptionalString is null for "".
func rawOptionalString(s string) tftypes.Value {
	if s == "" {
		return tftypes.NewValue(tftypes.String, nil)
	}
	return rawString(s)
}

// rawTime is a timetypes.RFC3339 value as the framework writes it.
func rawTime(t time.Time) tftypes.Value { return rawString(t.UTC().Format(time.RFC3339)) }

func rawInt64(n int64) tftypes.Value { return tftypes.NewValue(tftypes.Number, n) }
