/*
 * ingest/cfn_cidr.c - IP address text for Fn::Cidr: parsing IPv4 and IPv6
 * CIDR blocks and writing IPv6 addresses in their canonical form.
 */
#include <stdio.h>
#include <string.h>

#include "cfn_internal.h"

/* Parses an IPv4 or IPv6 CIDR block into 16 bytes (IPv4 in the last 4). */
bool cs__cfn_parse_cidr(cs_str s, unsigned char ip[16], unsigned *prefix, bool *v6)
{
	char buf[64];
	const char *slash = memchr(s.ptr, '/', s.len);
	if (!slash || s.len >= sizeof buf)
		return false;
	size_t n = (size_t)(slash - s.ptr);
	memcpy(buf, s.ptr, n);
	buf[n] = 0;
	memset(ip, 0, 16);
	*v6 = memchr(buf, ':', n) != NULL;
	if (!*v6) {
		unsigned part = 0, parts = 0, digits = 0;
		for (size_t i = 0; i <= n; i++) {
			if (i == n || buf[i] == '.') {
				if (!digits || part > 255 || parts >= 4)
					return false;
				ip[12 + parts++] = (unsigned char)part;
				part = digits = 0;
			} else if (buf[i] >= '0' && buf[i] <= '9' && digits < 3) {
				part = part * 10 + (unsigned)(buf[i] - '0');
				digits++;
			} else {
				return false;
			}
		}
		if (parts != 4)
			return false;
	} else {
		/* groups of up to 4 hex digits, one "::" allowed */
		unsigned short g[8];
		size_t ng = 0, gap = SIZE_MAX, i = 0;
		if (n >= 2 && buf[0] == ':' && buf[1] == ':') {
			gap = 0;
			i = 2;
		}
		while (i < n) {
			unsigned v = 0, d = 0;
			while (i < n && d < 4 &&
			       ((buf[i] >= '0' && buf[i] <= '9') || ((buf[i] | 0x20) >= 'a' &&
								      (buf[i] | 0x20) <= 'f'))) {
				v = v * 16 + (unsigned)(buf[i] <= '9' ? buf[i] - '0'
								     : (buf[i] | 0x20) - 'a' + 10);
				i++;
				d++;
			}
			if (!d || ng >= 8)
				return false;
			g[ng++] = (unsigned short)v;
			if (i == n)
				break;
			if (buf[i] != ':')
				return false;
			i++;
			if (i < n && buf[i] == ':') {
				if (gap != SIZE_MAX)
					return false;
				gap = ng;
				i++;
			} else if (i == n) {
				return false;
			}
		}
		if ((gap == SIZE_MAX && ng != 8) || (gap != SIZE_MAX && ng > 7))
			return false;
		size_t fill = gap == SIZE_MAX ? 0 : 8 - ng;
		for (size_t k = 0, out = 0; k < ng; k++, out++) {
			if (k == gap)
				out += fill;
			ip[out * 2] = (unsigned char)(g[k] >> 8);
			ip[out * 2 + 1] = (unsigned char)g[k];
		}
	}
	unsigned p = 0, pd = 0;
	for (size_t i = n + 1; i < s.len; i++) {
		if (s.ptr[i] < '0' || s.ptr[i] > '9' || pd >= 3)
			return false;
		p = p * 10 + (unsigned)(s.ptr[i] - '0');
		pd++;
	}
	*prefix = p;
	return pd && p <= (*v6 ? 128u : 32u);
}

/* IPv6 text in the RFC 5952 (section 4) form: lower-case hex, no leading
 * zeros, the first longest run of two or more zero groups as "::". */
void cs__cfn_ipv6_text(const unsigned char ip[16], char *out, size_t cap)
{
	unsigned g[8];
	int best = -1, bestlen = 1, o = 0;
	for (int i = 0; i < 8; i++)
		g[i] = (unsigned)(ip[i * 2] << 8 | ip[i * 2 + 1]);
	for (int i = 0; i < 8;) {
		int j = i;
		while (j < 8 && g[j] == 0)
			j++;
		if (j - i > bestlen) {
			best = i;
			bestlen = j - i;
		}
		i = j > i ? j : i + 1;
	}
	out[0] = 0;
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			o += snprintf(out + o, cap - (size_t)o, "::");
			i += bestlen - 1;
			continue;
		}
		bool sep = i > 0 && i != best + bestlen;
		o += snprintf(out + o, cap - (size_t)o, sep ? ":%x" : "%x", g[i]);
	}
}
