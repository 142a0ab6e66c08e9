package provider

import (
	"maps"
	"math/big"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
)

// Every plan runs Read once per resource. The framework's reflection
// (State.Get and State.Set into a model struct) cost as much CPU as the rest
// of ghpkg's Read in a profile of 1000 packages: it walks the struct's tags
// and compiles a regular expression per field on every call (see
// BENCHMARKS.md). So the restore resources hold no model: Create, Read,
// Update and ImportState read and write raw objects (plan, state,
// identity); the schema still decides every attribute's type.

// rawAttributes are a raw object's top-level attributes.
type rawAttributes map[string]tftypes.Value

// attributesOf reads a raw object: a state, plan or identity.
func attributesOf(raw tftypes.Value) (rawAttributes, error) {
	attrs := rawAttributes{}
	return attrs, raw.As((*map[string]tftypes.Value)(&attrs))
}

// object is the object of typ with a's attributes, values written over
// them.
func (a rawAttributes) object(typ tftypes.Type, values rawAttributes) tftypes.Value {
	maps.Copy(a, values)
	return tftypes.NewValue(typ, map[string]tftypes.Value(a))
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

// packageRef is the package the attributes of owner's resource (or
// identity) name.
func (a rawAttributes) packageRef(owner ownerSpec) ghapi.PackageRef {
	return ghapi.PackageRef{Scope: owner.scope, Owner: a.str(owner.attribute), Type: a.str(attrPackageType), Name: a.str(attrPackageName)}
}

// versionRef is the version they name; its ID is 0 when unknown.
func (a rawAttributes) versionRef(owner ownerSpec) ghapi.VersionRef {
	id, _ := a.int64(attrPackageVersionID)
	return ghapi.VersionRef{Package: a.packageRef(owner), ID: id}
}

// restoredValues are what a Create records of its outcome: restored_at is
// the time of the restore (now is called only then), or null when an
// already visible object was adopted.
func restoredValues(restored bool, now func() time.Time) rawAttributes {
	at := tftypes.NewValue(tftypes.String, nil)
	if restored {
		at = rawTime(now())
	}
	return rawAttributes{attrRestored: tftypes.NewValue(tftypes.Bool, restored), attrRestoredAt: at}
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
