/*
 * hcl/funcs_numeric.c - Terraform's numeric functions: abs, ceil, floor,
 * log, max, min, parseint, pow, signum.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "funcs.h"

static cs_err one_num(cs__hcl_call *c, const cs_value **out, double (*op)(double))
{
	double d;
	cs_err rc = cs__hcl_want_num(c, 0, &d);
	if (!rc)
		*out = cs__hcl_num(c, op(d));
	return rc;
}

static cs_err f_abs(cs__hcl_call *c, const cs_value **out)
{
	return one_num(c, out, fabs);
}

static cs_err f_ceil(cs__hcl_call *c, const cs_value **out)
{
	return one_num(c, out, ceil);
}

static cs_err f_floor(cs__hcl_call *c, const cs_value **out)
{
	return one_num(c, out, floor);
}

static double sgn(double d)
{
	return d > 0 ? 1 : d < 0 ? -1 : 0;
}

static cs_err f_signum(cs__hcl_call *c, const cs_value **out)
{
	return one_num(c, out, sgn);
}

static cs_err f_log(cs__hcl_call *c, const cs_value **out)
{
	double x, base;
	cs_err rc = cs__hcl_want_num(c, 0, &x);
	if (!rc)
		rc = cs__hcl_want_num(c, 1, &base);
	if (rc)
		return rc;
	double r = log(x) / log(base);
	/* exact powers (log(16, 2) is 4, not 3.9999999999999996) */
	double rr = round(r);
	if (fabs(r - rr) < 1e-12 && pow(base, rr) == x)
		r = rr;
	if (isnan(r) || isinf(r))
		return cs__hcl_call_err(c, "the result is not a finite number");
	*out = cs__hcl_num(c, r);
	return CS_OK;
}

static cs_err f_pow(cs__hcl_call *c, const cs_value **out)
{
	double x, y;
	cs_err rc = cs__hcl_want_num(c, 0, &x);
	if (!rc)
		rc = cs__hcl_want_num(c, 1, &y);
	if (rc)
		return rc;
	double r = pow(x, y);
	if (isnan(r) || isinf(r))
		return cs__hcl_call_err(c, "the result is not a finite number");
	*out = cs__hcl_num(c, r);
	return CS_OK;
}

static cs_err minmax(cs__hcl_call *c, const cs_value **out, bool want_max)
{
	double best = 0;
	if (c->nargs == 0)
		return cs__hcl_call_err(c, "must pass at least one number");
	for (size_t i = 0; i < c->nargs; i++) {
		double d;
		cs_err rc = cs__hcl_want_num(c, i, &d);
		if (rc)
			return rc;
		if (i == 0 || (want_max ? d > best : d < best))
			best = d;
	}
	*out = cs__hcl_num(c, best);
	return CS_OK;
}

static cs_err f_max(cs__hcl_call *c, const cs_value **out)
{
	return minmax(c, out, true);
}

static cs_err f_min(cs__hcl_call *c, const cs_value **out)
{
	return minmax(c, out, false);
}

/* Value of an ASCII digit in parseint's bases: 0-9, then a-z, then A-Z
 * for bases above 36 (case-insensitive letters up to base 36). */
static int digit_val(char ch, int64_t base)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'Z')
		return base <= 36 ? ch - 'A' + 10 : ch - 'A' + 36;
	return 99;
}

static cs_err f_parseint(cs__hcl_call *c, const cs_value **out)
{
	int64_t base;
	cs_err rc;
	const cs_value *v = c->args[0];
	if (v->type != CS_VSTRING)
		return cs__hcl_arg_err(c, 0, "string required");
	rc = cs__hcl_want_int(c, 1, &base);
	if (rc)
		return rc;
	if (base < 2 || base > 62)
		return cs__hcl_arg_err(c, 1,
				       "base must be a whole number between 2 and 62 inclusive");
	cs_str s = v->u.s;
	size_t i = 0;
	bool neg = false;
	if (i < s.len && (s.ptr[i] == '-' || s.ptr[i] == '+'))
		neg = s.ptr[i++] == '-';
	double acc = 0;
	bool ok = i < s.len;
	for (; i < s.len && ok; i++) {
		int d = digit_val(s.ptr[i], base);
		if (d >= base)
			ok = false;
		else
			acc = acc * (double)base + d;
	}
	if (!ok)
		return cs__hcl_arg_err(c, 0, "cannot parse \"%.*s\" as a base %d integer",
				       (int)(s.len > 200 ? 200 : s.len), s.ptr, (int)base);
	if (isinf(acc))
		return cs__hcl_arg_err(c, 0, "the number is too large");
	*out = cs__hcl_num(c, neg ? -acc : acc);
	return CS_OK;
}

const cs__hcl_func cs__hcl_funcs_numeric[] = {
	{ "abs", 1, 1, 0, "num", f_abs },
	{ "ceil", 1, 1, 0, "num", f_ceil },
	{ "floor", 1, 1, 0, "num", f_floor },
	{ "log", 2, 2, 0, "num,base", f_log },
	{ "max", 0, CS__HCL_VARIADIC, 0, "numbers", f_max },
	{ "min", 0, CS__HCL_VARIADIC, 0, "numbers", f_min },
	{ "parseint", 2, 2, 0, "number,base", f_parseint },
	{ "pow", 2, 2, 0, "num,power", f_pow },
	{ "signum", 1, 1, 0, "num", f_signum },
};
const size_t cs__hcl_funcs_numeric_n = CS_ARRAY_SIZE(cs__hcl_funcs_numeric);
