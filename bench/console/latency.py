#!/usr/bin/env python3
"""Times the API calls the console's pages make, on a running Pond: median and max of 5 runs each.

Usage: python3 bench/console/latency.py http://localhost:8080 ADMIN_PASSWORD
Signs in as admin (a console session, as the pages do: HTTP Basic would add a BCrypt check to every
call) and picks an order, its buyer's person and the first loyalty program from the data.
"""
import json, statistics, sys, time, urllib.parse, urllib.request
base = sys.argv[1]
_login = urllib.request.Request(base + '/api/v1/auth/login', method='POST', data=json.dumps({'username': 'admin', 'password': sys.argv[2]}).encode(), headers={'Content-Type': 'application/json'})
auth = 'Bearer ' + json.loads(urllib.request.urlopen(_login).read())['token']  # a console session, as the pages use
def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={'Authorization': auth, 'Content-Type': 'application/json'})
    t = time.perf_counter()
    with urllib.request.urlopen(req, timeout=120) as r:
        data = r.read()
    return (time.perf_counter() - t) * 1000, json.loads(data) if data else None
_, programs = call('GET', '/api/v1/loyalty/programs')
program = programs[0]['code'] if programs else None
_, orders = call('GET', '/api/v1/orders?limit=20')
order = orders['items'][0]
oid = order['id']
buyer = next((b for b in order.get('buyers', []) if b.get('type') in ('phone','taobao_open_uid','wechat_unionid','jd_open_id','doudian_open_id','member_no')), order.get('buyers', [{}])[0])
_, found = call('GET', f"/api/v1/persons/lookup?type={buyer['type']}&scope={buyer.get('scope','') or ''}&value={urllib.parse.quote(buyer['value'])}") if buyer else (0, None)
person = found['personId'] if found else 1
_, segs = call('GET', '/api/v1/segments')
paths = [
  ('GET', '/api/v1/analytics/dashboard', None),
  ('GET', '/api/v1/aipl', None),
  ('GET', '/api/v1/orders?limit=20', None),
  ('GET', '/api/v1/orders?limit=20&offset=10000', None),
  ('GET', '/api/v1/orders?limit=20&channel=jd', None),
  ('GET', f'/api/v1/orders/{oid}', None),
  ('GET', f"/api/v1/persons/lookup?type={buyer['type']}&scope={buyer.get('scope','') or ''}&value={urllib.parse.quote(buyer['value'])}", None),
  ('GET', f'/api/v1/persons/{person}', None),
  ('GET', f'/api/v1/persons/{person}/graph', None),
  ('GET', f'/api/v1/persons/{person}/profile', None),
  ('GET', f'/api/v1/persons/{person}/timeline?page=0&size=20', None),
  ('GET', f'/api/v1/persons/{person}/consents', None),
  ('GET', f'/api/v1/tags/persons/{person}?limit=20', None),
  ('GET', f'/api/v1/offers/members/{person}/coupons', None),
  ('GET', '/api/v1/identity/conflicts', None),
  ('GET', '/api/v1/tags', None),
  ('GET', '/api/v1/segments', None),
  ('POST', '/api/v1/segments/preview', {'expression': {'and': [{'metric': 'spend_fen', 'gte': 10000}, {'channel': 'taobao'}, {'did': 'product_viewed', 'inLastDays': 30}]}}),
  ('GET', '/api/v1/ingest/stats', None),
  ('GET', '/api/v1/ingest/dead-letters?size=50', None),
  ('GET', '/api/v1/audit?limit=50', None),
  ('GET', '/api/v1/offers/templates', None),
  ('GET', '/api/v1/messages?limit=50', None),
]
if program:
  paths += [('GET', f'/api/v1/loyalty/programs/{program}/accounts?limit=20', None),
            ('GET', f'/api/v1/loyalty/programs/{program}/accounts?limit=20&offset=5000', None),
            ('GET', f'/api/v1/loyalty/programs/{program}/members/{person}', None),
            ('GET', f'/api/v1/loyalty/programs/{program}/members/{person}/entries?limit=200', None),
            ('GET', f'/api/v1/loyalty/programs/{program}/reconciliation?limit=100', None)]
print(f"person {person}, program {program}")
print(f"{'call':95} {'median ms':>10} {'max ms':>8}")
for m, p, b in paths:
    times = []
    try:
        for _ in range(5):
            t, _ = call(m, p, b); times.append(t)
        print(f"{m+' '+p:95.95} {statistics.median(times):10.1f} {max(times):8.1f}")
    except Exception as e:
        print(f"{m+' '+p:95.95} ERROR {e}")
