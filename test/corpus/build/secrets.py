#!/usr/bin/env python3
"""Builds test/corpus/wild/secrets.jsonl: messages that carry secrets or
personal data, one JSON object a line:

  family   provider or kind (github, aws, slack, ..., keys, cli, sql, pem,
           personal)
  format   the token format or rule (github_pat, aws_access_key_id, ...)
  form     how it stands: bare, kv, json, header, env, url, cli, sql, pem
  named    a provider token with a published format
  letter   the 0.1.0 rules already required its redaction
  message  the message
  secrets  the substrings that must not survive (whole, nor a piece of
           8 characters and 30% of their length)

The token FORMATS are those published by the providers and collected in
gitleaks' config/gitleaks.toml and trufflehog's detectors (see
test/corpus/README.md for the commits); every value is generated here from
a seeded generator, and every message is written here.  No real or
published test token is copied.

Run from the repository root:  python3 test/corpus/build/secrets.py
"""
import base64
import json
import os
import random
import sys

SEED = 13
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'wild', 'secrets.jsonl')
rnd = random.Random(SEED)

UP = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
LO = 'abcdefghijklmnopqrstuvwxyz'
DI = '0123456789'
AN = UP + LO + DI
HEX = '0123456789abcdef'
B64 = AN + '+/'
B64URL = AN + '-_'
B32 = UP + '234567'


def r(alphabet, n):
    return ''.join(rnd.choice(alphabet) for _ in range(n))


def mixed(alphabet, n):
    """Random, but with each of upper, lower and digit when the alphabet has them."""
    while True:
        s = r(alphabet, n)
        if (not any(c in UP for c in alphabet) or any(c in UP for c in s)) and \
           (not any(c in LO for c in alphabet) or any(c in LO for c in s)) and \
           (not any(c in DI for c in alphabet) or any(c in DI for c in s)):
            return s


def b64url_json(obj):
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(',', ':')).encode()).decode().rstrip('=')


def jwt():
    head = b64url_json({'alg': rnd.choice(['HS256', 'RS256', 'ES256']), 'typ': 'JWT'})
    body = b64url_json({'sub': str(rnd.randint(10 ** 5, 10 ** 9)), 'iat': rnd.randint(1.6e9, 1.8e9),
                        'scope': rnd.choice(['read', 'sync write', 'admin'])})
    return '%s.%s.%s' % (head, body, r(B64URL, 43))


def uuid():
    h = r(HEX, 32)
    return '%s-%s-%s-%s-%s' % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


# (family, format, generator, env name, header name, provider word)
F = []


def fmt(family, name, gen, env, header='X-Api-Key', word=None):
    F.append((family, name, gen, env, header, word or family))


fmt('aws', 'aws_access_key_id', lambda: rnd.choice(['AKIA', 'ASIA', 'ABIA', 'ACCA']) + r(UP + '234567', 16), 'AWS_ACCESS_KEY_ID', 'X-Amz-Key', 'AWS')
fmt('aws', 'aws_secret_access_key', lambda: mixed(B64, 40), 'AWS_SECRET_ACCESS_KEY', 'X-Amz-Secret', 'AWS')
fmt('aws', 'aws_bedrock_key', lambda: 'ABSK' + mixed(B64, 132), 'AWS_BEARER_TOKEN_BEDROCK', 'Authorization', 'Bedrock')
fmt('github', 'github_pat', lambda: 'ghp_' + mixed(AN, 36), 'GITHUB_TOKEN', 'Authorization', 'GitHub')
fmt('github', 'github_oauth', lambda: 'gho_' + mixed(AN, 36), 'GH_TOKEN', 'Authorization', 'GitHub')
fmt('github', 'github_app', lambda: rnd.choice(['ghs_', 'ghu_']) + mixed(AN, 36), 'GITHUB_APP_TOKEN', 'Authorization', 'GitHub')
fmt('github', 'github_refresh', lambda: 'ghr_' + mixed(AN, 36), 'GITHUB_REFRESH', 'X-GitHub-Refresh', 'GitHub')
fmt('github', 'github_fine_grained', lambda: 'github_pat_' + mixed(AN, 22) + '_' + mixed(AN, 59), 'GITHUB_PAT', 'Authorization', 'GitHub')
fmt('gitlab', 'gitlab_pat', lambda: 'glpat-' + mixed(AN + '_-', 20), 'GITLAB_TOKEN', 'PRIVATE-TOKEN', 'GitLab')
fmt('gitlab', 'gitlab_deploy', lambda: 'gldt-' + mixed(AN, 20), 'CI_DEPLOY_PASSWORD', 'PRIVATE-TOKEN', 'GitLab')
fmt('gitlab', 'gitlab_runner', lambda: 'glrt-' + mixed(AN, 20), 'RUNNER_TOKEN', 'PRIVATE-TOKEN', 'GitLab')
fmt('gitlab', 'gitlab_ptt', lambda: 'glptt-' + r(HEX, 40), 'TRIGGER_TOKEN', 'PRIVATE-TOKEN', 'GitLab')
fmt('gitlab', 'gitlab_runner_registration', lambda: 'GR1348941' + mixed(AN + '_-', 20), 'REGISTRATION_TOKEN', 'PRIVATE-TOKEN', 'GitLab')
fmt('slack', 'slack_bot', lambda: 'xoxb-%d-%d-%s' % (rnd.randint(10 ** 10, 10 ** 12), rnd.randint(10 ** 10, 10 ** 12), mixed(AN, 24)), 'SLACK_BOT_TOKEN', 'Authorization', 'Slack')
fmt('slack', 'slack_user', lambda: 'xoxp-%d-%d-%d-%s' % (rnd.randint(10 ** 10, 10 ** 12), rnd.randint(10 ** 10, 10 ** 12), rnd.randint(10 ** 10, 10 ** 12), r(HEX, 32)), 'SLACK_USER_TOKEN', 'Authorization', 'Slack')
fmt('slack', 'slack_app', lambda: 'xapp-1-A%s-%d-%s' % (r(UP + DI, 10), rnd.randint(10 ** 12, 10 ** 13), r(HEX, 64)), 'SLACK_APP_TOKEN', 'Authorization', 'Slack')
fmt('slack', 'slack_webhook', lambda: 'https://hooks.slack.com/services/T%s/B%s/%s' % (r(UP + DI, 8), r(UP + DI, 10), mixed(AN, 24)), 'SLACK_WEBHOOK_URL', 'X-Webhook', 'Slack')
fmt('stripe', 'stripe_secret', lambda: rnd.choice(['sk_live_', 'sk_test_']) + mixed(AN, rnd.choice([24, 99])), 'STRIPE_SECRET_KEY', 'Authorization', 'Stripe')
fmt('stripe', 'stripe_restricted', lambda: rnd.choice(['rk_live_', 'rk_test_']) + mixed(AN, 99), 'STRIPE_RESTRICTED_KEY', 'Authorization', 'Stripe')
fmt('stripe', 'stripe_webhook_secret', lambda: 'whsec_' + mixed(AN, 32), 'STRIPE_WEBHOOK_SECRET', 'Stripe-Secret', 'Stripe')
fmt('google', 'google_api_key', lambda: 'AIza' + mixed(AN + '_-', 35), 'GOOGLE_API_KEY', 'X-Goog-Api-Key', 'Google')
fmt('google', 'google_oauth_secret', lambda: 'GOCSPX-' + mixed(AN + '_-', 28), 'GOOGLE_CLIENT_SECRET', 'X-Client-Secret', 'Google')
fmt('google', 'google_oauth_access', lambda: 'ya29.' + mixed(AN + '_-', 120), 'GOOGLE_ACCESS_TOKEN', 'Authorization', 'Google')
fmt('sendgrid', 'sendgrid', lambda: 'SG.' + mixed(AN + '_-', 22) + '.' + mixed(AN + '_-', 43), 'SENDGRID_API_KEY', 'Authorization', 'SendGrid')
fmt('npm', 'npm', lambda: 'npm_' + mixed(AN, 36), 'NPM_TOKEN', 'Authorization', 'npm')
fmt('pypi', 'pypi', lambda: 'pypi-AgEIcHlwaS5vcmc' + mixed(AN + '_-', 70), 'TWINE_PASSWORD', 'Authorization', 'PyPI')
fmt('openai', 'openai_project', lambda: 'sk-proj-' + mixed(AN + '_-', 58) + 'T3BlbkFJ' + mixed(AN + '_-', 58), 'OPENAI_API_KEY', 'Authorization', 'OpenAI')
fmt('openai', 'openai_legacy', lambda: 'sk-' + mixed(AN, 20) + 'T3BlbkFJ' + mixed(AN, 20), 'OPENAI_API_KEY', 'Authorization', 'OpenAI')
fmt('anthropic', 'anthropic', lambda: 'sk-ant-api03-' + mixed(AN + '_-', 93) + 'AA', 'ANTHROPIC_API_KEY', 'x-api-key', 'Anthropic')
fmt('anthropic', 'anthropic_admin', lambda: 'sk-ant-admin01-' + mixed(AN + '_-', 93) + 'AA', 'ANTHROPIC_ADMIN_KEY', 'x-api-key', 'Anthropic')
fmt('vault', 'vault_service', lambda: 'hvs.' + mixed(AN + '_-', 90), 'VAULT_TOKEN', 'X-Vault-Token', 'Vault')
fmt('vault', 'vault_batch', lambda: 'hvb.' + mixed(AN + '_-', 140), 'VAULT_TOKEN', 'X-Vault-Token', 'Vault')
fmt('shopify', 'shopify_access', lambda: rnd.choice(['shpat_', 'shpca_', 'shppa_']) + r(HEX, 32), 'SHOPIFY_ACCESS_TOKEN', 'X-Shopify-Access-Token', 'Shopify')
fmt('shopify', 'shopify_shared_secret', lambda: 'shpss_' + r(HEX, 32), 'SHOPIFY_SHARED_SECRET', 'X-Shopify-Hmac', 'Shopify')
fmt('twilio', 'twilio_api_key', lambda: 'SK' + r(HEX, 32), 'TWILIO_API_KEY', 'X-Twilio-Key', 'Twilio')
fmt('azure', 'azure_storage_key', lambda: mixed(B64, 86) + '==', 'AZURE_STORAGE_KEY', 'x-ms-key', 'Azure')
fmt('azure', 'azure_ad_client_secret', lambda: mixed(AN, 3) + str(rnd.randint(0, 9)) + 'Q~' + mixed(AN + '_~.-', 34), 'AZURE_CLIENT_SECRET', 'X-Client-Secret', 'Entra')
fmt('azure', 'azure_sas', lambda: mixed(B64, 43).replace('+', '%2B').replace('/', '%2F') + '%3D', 'AZURE_SAS', 'x-ms-sas', 'Azure')
fmt('databricks', 'databricks', lambda: 'dapi' + r(HEX, 32), 'DATABRICKS_TOKEN', 'Authorization', 'Databricks')
fmt('digitalocean', 'digitalocean', lambda: rnd.choice(['dop_v1_', 'doo_v1_', 'dor_v1_']) + r(HEX, 64), 'DIGITALOCEAN_TOKEN', 'Authorization', 'DigitalOcean')
fmt('doppler', 'doppler', lambda: 'dp.pt.' + mixed(AN, 43), 'DOPPLER_TOKEN', 'Authorization', 'Doppler')
fmt('dynatrace', 'dynatrace', lambda: 'dt0c01.' + r(UP + DI, 24) + '.' + r(UP + DI, 64), 'DT_API_TOKEN', 'Authorization', 'Dynatrace')
fmt('mailchimp', 'mailchimp', lambda: r(HEX, 32) + '-us' + str(rnd.randint(1, 21)), 'MAILCHIMP_API_KEY', 'Authorization', 'Mailchimp')
fmt('huggingface', 'huggingface', lambda: 'hf_' + mixed(UP + LO, 34), 'HF_TOKEN', 'Authorization', 'Hugging Face')
fmt('linear', 'linear', lambda: 'lin_api_' + mixed(AN, 40), 'LINEAR_API_KEY', 'Authorization', 'Linear')
fmt('postman', 'postman', lambda: 'PMAK-' + r(HEX, 24) + '-' + r(HEX, 34), 'POSTMAN_API_KEY', 'X-Api-Key', 'Postman')
fmt('pulumi', 'pulumi', lambda: 'pul-' + r(HEX, 40), 'PULUMI_ACCESS_TOKEN', 'Authorization', 'Pulumi')
fmt('atlassian', 'atlassian', lambda: 'ATATT3xFfGF0' + mixed(AN + '_-', 170) + '=' + r(UP + DI, 8), 'JIRA_API_TOKEN', 'Authorization', 'Atlassian')
fmt('grafana', 'grafana_cloud', lambda: 'glc_' + mixed(AN, 100), 'GRAFANA_CLOUD_TOKEN', 'Authorization', 'Grafana')
fmt('grafana', 'grafana_service_account', lambda: 'glsa_' + mixed(AN, 32) + '_' + r(HEX, 8), 'GRAFANA_TOKEN', 'Authorization', 'Grafana')
fmt('newrelic', 'newrelic_user', lambda: 'NRAK-' + r(UP + DI, 27), 'NEW_RELIC_API_KEY', 'Api-Key', 'New Relic')
fmt('sentry', 'sentry_user', lambda: 'sntryu_' + r(HEX, 64), 'SENTRY_AUTH_TOKEN', 'Authorization', 'Sentry')
fmt('terraform', 'terraform_cloud', lambda: mixed(LO + DI, 14) + '.atlasv1.' + mixed(AN + '_-', 67), 'TFE_TOKEN', 'Authorization', 'Terraform Cloud')
fmt('age', 'age_secret_key', lambda: 'AGE-SECRET-KEY-1' + r('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58), 'SOPS_AGE_KEY', 'X-Age-Key', 'age')
fmt('telegram', 'telegram_bot', lambda: '%d:AA%s' % (rnd.randint(10 ** 8, 10 ** 10), mixed(AN + '_-', 33)), 'TELEGRAM_BOT_TOKEN', 'X-Bot-Token', 'Telegram')
fmt('square', 'square', lambda: rnd.choice(['sq0atp-', 'EAAA']) + mixed(AN + '_-', 60), 'SQUARE_ACCESS_TOKEN', 'Authorization', 'Square')
fmt('alibaba', 'alibaba_access_key_id', lambda: 'LTAI' + mixed(AN, 20), 'ALIBABA_CLOUD_ACCESS_KEY_ID', 'X-Acs-Key', 'Alibaba Cloud')
fmt('planetscale', 'planetscale', lambda: rnd.choice(['pscale_tkn_', 'pscale_pw_']) + mixed(AN + '_', 43), 'PLANETSCALE_TOKEN', 'Authorization', 'PlanetScale')
fmt('prefect', 'prefect', lambda: 'pnu_' + mixed(AN, 36), 'PREFECT_API_KEY', 'Authorization', 'Prefect')
fmt('rubygems', 'rubygems', lambda: 'rubygems_' + r(HEX, 48), 'GEM_HOST_API_KEY', 'Authorization', 'RubyGems')
fmt('brevo', 'sendinblue', lambda: 'xkeysib-' + r(HEX, 64) + '-' + mixed(AN, 16), 'BREVO_API_KEY', 'api-key', 'Brevo')
fmt('shippo', 'shippo', lambda: rnd.choice(['shippo_live_', 'shippo_test_']) + r(HEX, 40), 'SHIPPO_TOKEN', 'Authorization', 'Shippo')
fmt('artifactory', 'artifactory', lambda: 'AKCp' + mixed(AN, 69), 'ARTIFACTORY_API_KEY', 'X-JFrog-Art-Api', 'Artifactory')
fmt('flyio', 'flyio', lambda: 'fo1_' + mixed(AN + '_-', 43), 'FLY_API_TOKEN', 'Authorization', 'Fly.io')
fmt('docker', 'docker_pat', lambda: 'dckr_pat_' + mixed(AN + '_-', 27), 'DOCKERHUB_TOKEN', 'Authorization', 'Docker Hub')
fmt('tailscale', 'tailscale', lambda: 'tskey-' + rnd.choice(['auth', 'api']) + '-k' + mixed(AN, 11) + 'CNTRL-' + mixed(AN, 32), 'TS_AUTHKEY', 'Authorization', 'Tailscale')
fmt('notion', 'notion', lambda: 'ntn_' + ''.join(rnd.choice(DI) for _ in range(11)) + mixed(AN, 35), 'NOTION_TOKEN', 'Authorization', 'Notion')
fmt('airtable', 'airtable_pat', lambda: 'pat' + mixed(AN, 14) + '.' + r(HEX, 64), 'AIRTABLE_TOKEN', 'Authorization', 'Airtable')
fmt('octopus', 'octopus', lambda: 'API-' + r(UP + DI, 26), 'OCTOPUS_API_KEY', 'X-Octopus-ApiKey', 'Octopus Deploy')
fmt('perplexity', 'perplexity', lambda: 'pplx-' + mixed(AN, 48), 'PPLX_API_KEY', 'Authorization', 'Perplexity')
fmt('groq', 'groq', lambda: 'gsk_' + mixed(AN, 52), 'GROQ_API_KEY', 'Authorization', 'Groq')
fmt('xai', 'xai', lambda: 'xai-' + mixed(AN, 80), 'XAI_API_KEY', 'Authorization', 'xAI')
fmt('replicate', 'replicate', lambda: 'r8_' + mixed(AN, 37), 'REPLICATE_API_TOKEN', 'Authorization', 'Replicate')
fmt('langsmith', 'langsmith', lambda: rnd.choice(['lsv2_pt_', 'lsv2_sk_']) + r(HEX, 32) + '_' + r(HEX, 10), 'LANGSMITH_API_KEY', 'x-api-key', 'LangSmith')
fmt('supabase', 'supabase', lambda: 'sbp_' + r(HEX, 40), 'SUPABASE_ACCESS_TOKEN', 'Authorization', 'Supabase')
fmt('heroku', 'heroku_v2', lambda: 'HRKU-AA' + mixed(AN + '_-', 58), 'HEROKU_API_KEY', 'Authorization', 'Heroku')
fmt('clojars', 'clojars', lambda: 'CLOJARS_' + r(LO + DI, 60), 'CLOJARS_PASSWORD', 'Authorization', 'Clojars')
fmt('discord', 'discord_webhook', lambda: 'https://discord.com/api/webhooks/%d/%s' % (rnd.randint(10 ** 17, 10 ** 18), mixed(AN + '_-', 68)), 'DISCORD_WEBHOOK', 'X-Webhook', 'Discord')
fmt('msteams', 'teams_webhook', lambda: 'https://acme.webhook.office.com/webhookb2/%s@%s/IncomingWebhook/%s/%s' % (uuid(), uuid(), r(HEX, 32), uuid()), 'TEAMS_WEBHOOK_URL', 'X-Webhook', 'Teams')
fmt('openshift', 'openshift', lambda: 'sha256~' + mixed(AN + '_-', 43), 'OPENSHIFT_TOKEN', 'Authorization', 'OpenShift')
fmt('easypost', 'easypost', lambda: rnd.choice(['EZAK', 'EZTK']) + mixed(AN, 54), 'EASYPOST_API_KEY', 'Authorization', 'EasyPost')
fmt('readme', 'readme', lambda: 'rdme_' + r(LO + DI, 70), 'README_API_KEY', 'Authorization', 'ReadMe')
fmt('scalingo', 'scalingo', lambda: 'tk-us-' + mixed(AN + '_-', 48), 'SCALINGO_API_TOKEN', 'Authorization', 'Scalingo')
fmt('frameio', 'frameio', lambda: 'fio-u-' + mixed(AN + '_-', 64), 'FRAMEIO_TOKEN', 'Authorization', 'Frame.io')
fmt('infracost', 'infracost', lambda: 'ico-' + mixed(AN, 32), 'INFRACOST_API_KEY', 'X-Api-Key', 'Infracost')
fmt('duffel', 'duffel', lambda: rnd.choice(['duffel_test_', 'duffel_live_']) + mixed(AN + '_-', 43), 'DUFFEL_TOKEN', 'Authorization', 'Duffel')
fmt('sourcegraph', 'sourcegraph', lambda: 'sgp_' + r(HEX, 16) + '_' + r(HEX, 40), 'SRC_ACCESS_TOKEN', 'Authorization', 'Sourcegraph')
fmt('onepassword', 'onepassword_service', lambda: 'ops_eyJ' + mixed(B64, 300), 'OP_SERVICE_ACCOUNT_TOKEN', 'Authorization', '1Password')
fmt('mapbox', 'mapbox_secret', lambda: 'sk.eyJ1Ijoi' + mixed(AN, 50) + '.' + mixed(AN + '_-', 22), 'MAPBOX_SECRET_TOKEN', 'Authorization', 'Mapbox')
fmt('cloudflare', 'cloudflare_origin_ca', lambda: 'v1.0-' + r(HEX, 24) + '-' + r(HEX, 146), 'CF_ORIGIN_CA_KEY', 'X-Auth-User-Service-Key', 'Cloudflare')
fmt('jwt', 'jwt', jwt, 'ID_TOKEN', 'Authorization', 'identity provider')

# ---- how tokens stand in messages ----

BARE = [
    'GitHub returned 401 Bad credentials for {t} while syncing acme/app',
    '{w} rejected the credential {t}: 401 Unauthorized',
    'invalid API key provided: {t}',
    'Using credential {t} for {w} in region eu-west-1',
    'retrying with {t} after 403 from {w} (attempt 2 of 5)',
    'sync failed: {w} said the key {t} was revoked',
    'could not authenticate to {w} with {t}',
    "{w} client error (403): credential '{t}' lacks the required scope",
    'webhook delivery to {t} failed: 404 no_service',
    'job 48213 aborted: {t} expired at 2024-01-15T09:30:00Z',
    'unexpected response from {w} ({t}): rate limited',
    'the configured credential ({t}) is not valid for this workspace',
    'Exception in thread "main" com.acme.AuthException: {t} is not authorized',
    'error: {t}: permission denied',
    '{w}: token {t} has been revoked',
]
KV = [
    ('config error: {e}={t} is rejected by {w}', None),
    ('failed to load settings (api_key={t}, region=us-east-1)', 'api_key'),
    ('request failed: token={t}&page=2', 'token'),
    ('{w} error 401 for secret: {t}', 'secret'),
    ('client configured with apiKey: {t} timed out', 'apikey'),
    ('retry 3/5 with access_token={t}', 'access_token'),
    ('vault read ok, password = {t} but login failed', 'password'),
    ("settings.credentials.key => '{t}' rejected", None),
    ('{w} key: {t} (invalid)', None),
]
JSON = [
    ('{w} responded 401 to {{"token": "{t}", "scope": "repo"}}', 'token'),
    ('payload {{"api_key":"{t}","team":"core"}} was refused', 'api_key'),
    ("HTTPError 403 with body {{'client_secret': '{t}', 'grant_type': 'client_credentials'}}", 'client_secret'),
    ('config {{"credentials": {{"key": "{t}"}}, "retries": 3}} is invalid', None),
    ('{{"{e}": "{t}"}}: unexpected field', None),
    ('deserialization failed at \\"access_token\\":\\"{t}\\"', 'access_token'),
]
HEADER = [
    ('401 Unauthorized (request headers: Authorization: Bearer {t})', 'authorization'),
    ("HTTPError: 403 Forbidden, sent headers {{'Authorization': 'token {t}', 'Accept': 'application/json'}}", 'authorization'),
    ('request to {w} failed: {h}: {t}', 'header'),
    ('curl: (22) The requested URL returned error: 401; sent -H "{h}: {t}"', 'header'),
    ('proxy error 407 with header X-API-Key: {t}', 'x_api_key'),
]
ENV = [
    ('export {e}={t}', None),
    ('.env line 12: {e}="{t}" is malformed', None),
    ('environment: {e}={t} HOME=/home/deploy', None),
    ('docker run -e {e}={t} acme/sync:1.4 exited with code 1', None),
    ('Error: {e}={t} is not valid for {w}', None),
]
URL = [
    ('GET https://api.example.com/v1/items?api_key={t}&page=2 failed: 403', 'api_key'),
    ('fetch https://x-access-token:{t}@github.com/acme/app.git failed: 403', 'url'),
    ('POST https://api.example.net/hooks?token={t} returned 500', 'token'),
    ('Redirected to https://app.example.com/callback#access_token={t}&expires_in=3600', 'access_token'),
    ('could not reach https://api.example.com/v2/{t}/status: timeout', None),
]
CLI = [
    ('command failed: curl -H "Authorization: token {t}" https://api.github.com/user', 'authorization'),
    ('npm ERR! //registry.npmjs.org/:_authToken={t} rejected', None),
    ('git clone https://oauth2:{t}@gitlab.com/acme/app.git exited with status 128', 'url'),
    ('docker login -u deploy -p {t} registry.example.com: unauthorized', None),
    ('subprocess "terraform login --token {t}" failed', 'token'),
]
SQL = [
    ("ERROR: duplicate key in INSERT INTO integrations(name, credential) VALUES ('{w}', '{t}')", None),
    ("UPDATE settings SET api_token = '{t}' WHERE id = 4 failed: deadlock detected", None),
    ("query failed: SELECT * FROM accounts WHERE key = '{t}'", None),
]

FORMS = [('bare', BARE), ('kv', KV), ('json', JSON), ('header', HEADER), ('env', ENV),
         ('url', URL), ('cli', CLI), ('sql', SQL)]

# 0.1.0's key list, as 0.1.0 normalized it: a key equal to or ending in one
# of these (after '_'), or holding one of the words.
OLD_KEYS = ['password', 'passwd', 'pwd', 'secret', 'client_secret', 'token', 'access_token',
            'refresh_token', 'id_token', 'api_key', 'apikey', 'authorization', 'cookie',
            'set_cookie', 'private_key', 'sig', 'signature', 'x_api_key']
OLD_WORDS = ['password', 'passwd', 'pwd', 'secret']


def old_key(key):
    k = ''
    prev = ''
    for c in key:
        if c in '-. _':
            if k and k[-1] != '_':
                k += '_'
        else:
            if c.isupper() and (prev.islower() or prev.isdigit()) and k and k[-1] != '_':
                k += '_'
            k += c.lower()
        prev = c
    k = k.rstrip('_0123456789')
    for o in OLD_KEYS:
        if k == o or k.endswith('_' + o):
            return True
    parts = k.split('_')
    return any(w in parts for w in OLD_WORDS)


ENTROPY_CHARS = set(AN + '+/=_.~-')


def old_entropy(s):
    """0.1.0's opaque-token rule on one run."""
    if len(s) < 32:
        return False
    ru = rl = 0
    for c in s:
        ru = ru + 1 if c in UP else 0
        rl = rl + 1 if c in LO else 0
        if ru >= 8 or rl >= 8:
            return False
    return any(c in UP for c in s) and any(c in LO for c in s) and any(c in DI for c in s)


def run_around(msg, sub):
    i = msg.find(sub)
    a, e = i, i + len(sub)
    while a > 0 and msg[a - 1] in ENTROPY_CHARS:
        a -= 1
    while e < len(msg) and msg[e] in ENTROPY_CHARS:
        e += 1
    return msg[a:e]


rows = []


def old_rule_run(message, secret):
    """0.1.0's opaque-token rule on the run that holds the secret."""
    return all(c in ENTROPY_CHARS for c in secret) and old_entropy(run_around(message, secret))


def add(family, fmt_name, form, named, letter, message, secrets):
    rows.append({'family': family, 'format': fmt_name, 'form': form, 'named': named,
                 'letter': bool(letter or all(old_rule_run(message, s) for s in secrets)),
                 'message': message, 'secrets': secrets})


# provider tokens: every format in every form, bare the most
for family, name, gen, env, header, word in F:
    for form, templates in FORMS:
        n = 8 if form == 'bare' else 5
        if name == 'jwt' and form == 'sql':
            continue
        for _ in range(n):
            t = gen()
            tpl = rnd.choice(templates)
            if isinstance(tpl, tuple):
                tpl, key = tpl
            else:
                key = None
            msg = tpl.format(t=t, w=word, e=env, h=header)
            letter = False
            if key == 'header':
                letter = old_key(header)
            elif key == 'url':
                letter = True
            elif key in ('authorization',):
                letter = True
            elif key:
                letter = old_key(key)
            if form == 'env' or (key is None and '{e}' in tpl):
                letter = letter or old_key(env)
            if name == 'jwt':
                letter = True
            if t.startswith('https://'):
                letter = False
            add(family, name, form, True, letter, msg, [t])


# ---- secrets that no provider format names ----

def password():
    kind = rnd.random()
    if kind < 0.3:
        return rnd.choice(['Summer', 'Winter', 'Welcome', 'Changeme', 'Hunter', 'Dragon', 'Monkey']) + \
            str(rnd.randint(10, 9999)) + rnd.choice(['!', '#', '$', '', '?'])
    if kind < 0.6:
        return mixed(AN + '!#$%*-_', rnd.randint(12, 24))
    if kind < 0.8:
        return r(LO, 4) + '-' + r(LO, 5) + '-' + r(LO, 4) + str(rnd.randint(1, 99))
    return mixed(AN, rnd.randint(16, 32))


NEWKEYS = [('pass', 'kv'), ('db_password', 'kv'), ('PGPASSWORD', 'env'), ('MYSQL_PWD', 'env'),
           ('MYSQL_ROOT_PASSWORD', 'env'), ('Ocp-Apim-Subscription-Key', 'header'),
           ('AccountKey', 'kv'), ('x-functions-key', 'header'), ('subscription_key', 'kv'),
           ('encryption_key', 'kv'), ('master_key', 'kv'), ('license_key', 'kv'), ('dsn', 'kv'),
           ('webhook_url', 'kv'), ('auth', 'json'), ('SharedAccessKey', 'kv'), ('passphrase', 'kv'),
           ('userPassword', 'json'), ('admin_pass', 'kv'), ('credentials', 'json'),
           ('X-Auth-Token', 'header'), ('private-token', 'header'), ('app_key', 'env'),
           ('PASSWORD_HASH_SALT', 'env'), ('client-key', 'kv'), ('APP_KEY', 'env')]
for key, form in NEWKEYS:
    for _ in range(22):
        if key == 'dsn':
            v = 'postgres://app:%s@db:5432/app' % password()
            secret = v.split(':')[2].split('@')[0]
        elif key == 'webhook_url':
            v = 'https://hooks.example.com/T%s/%s' % (r(UP + DI, 8), mixed(AN, 24))
            secret = v.rsplit('/', 1)[1]
        elif key == 'auth':
            v = base64.b64encode(('deploy:' + password()).encode()).decode()
            secret = v
        elif key == 'APP_KEY':
            v = 'base64:' + base64.b64encode(bytes(rnd.randrange(256) for _ in range(32))).decode()
            secret = v[7:]
        else:
            v = password() if rnd.random() < 0.5 else mixed(AN, rnd.choice([20, 32, 40]))
            secret = v
        if form == 'kv':
            msg = rnd.choice(['connection failed ({k}={v})', 'settings rejected: {k}: {v}',
                              'Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=send;{k}={v} is invalid',
                              'could not parse {k}={v}; expected key=value']).format(k=key, v=v)
        elif form == 'env':
            msg = rnd.choice(['export {k}={v}', '{k}={v} psql -h db -U app failed: FATAL', 'env {k}="{v}" not applied']).format(k=key, v=v)
        elif form == 'header':
            msg = rnd.choice(['403 with request header {k}: {v}', "sent {{'{k}': '{v}'}} and got 401"]).format(k=key, v=v)
        else:
            msg = rnd.choice(['{{"{k}": "{v}", "email_verified": true}} failed validation',
                              'docker config {{"auths": {{"registry.example.com": {{"{k}": "{v}"}}}}}} is stale']).format(k=key, v=v)
        add('keys', key.lower(), form, False, old_key(key), msg, [secret])

COOKIES = ['session', 'sessionid', 'JSESSIONID', 'PHPSESSID', 'laravel_session', 'connect.sid',
           '_gitlab_session', 'ASP.NET_SessionId']
for name in COOKIES:
    for _ in range(25):
        v = mixed(AN, 32) if rnd.random() < 0.5 else r(LO + DI, 26)
        if name == 'connect.sid':
            v = 's%3A' + mixed(AN + '-_', 32) + '.' + mixed(AN + '%', 43)
        if name == 'laravel_session':
            v = 'eyJpdiI6I' + mixed(AN, 40) + '%3D%3D'
        tpl, letter = rnd.choice([('Set-Cookie: {n}={v}; Path=/; HttpOnly', True),
                                  ('request failed with cookie {n}={v}', False),
                                  ('GET /cart;jsessionid={v} returned 500'.replace('jsessionid', '{n}'), False),
                                  ('session {n}={v} was rejected (expired)', False),
                                  ('Cookie: theme=dark; {n}={v}; lang=en', True)])
        add('cookies', name.lower(), 'header' if letter else 'kv', False, letter,
            tpl.format(n=name, v=v), [v])

CLI_FORMS = [
    ('mysql -u root -p{p} -h db app < dump.sql failed: ERROR 1045', 'mysql_p'),
    ('mysqldump --user=app --password={p} app exited with 2', 'password_eq'),
    ('sshpass -p {p} ssh deploy@10.0.3.17 returned 255', 'sshpass'),
    ("sshpass -p '{p}' scp build.tgz deploy@web-1:/srv failed", 'sshpass'),
    ('curl -u deploy:{p} https://nexus.example.com/repository/ returned 401', 'curl_u'),
    ('curl --user admin:{p} -X POST https://jenkins.example.com/job/sync/build: 403', 'curl_u'),
    ('redis-cli -h cache -a {p} PING: NOAUTH', 'redis_a'),
    ('mongosh --username app --password {p} --host db failed', 'password_opt'),
    ('pg_dump "host=db user=app password={p} dbname=app" failed: FATAL', 'password_eq'),
    ('wget --http-user=deploy --http-password={p} https://files.example.com/a.tgz: 401', 'password_eq'),
    ('psql postgresql://app@db/app?password={p} failed', 'password_eq'),
    ('ldapsearch -x -D cn=admin,dc=example,dc=org -w {p} -H ldap://ldap: Invalid credentials (49)', 'ldap_w'),
    ('htpasswd -b /etc/nginx/.htpasswd deploy {p} failed', 'htpasswd'),
    ('az login --service-principal -u 4f3c2b1a-0000-4000-8000-123456789abc -p {p} --tenant contoso failed', 'az_p'),
    ('keytool -storepass {p} -list -keystore app.jks: keystore was tampered with', 'storepass'),
    ('openssl pkcs12 -passin pass:{p} -in cert.p12 failed: mac verify failure', 'openssl_pass'),
]
for tpl, name in CLI_FORMS:
    for _ in range(25):
        p = password()
        add('cli', name, 'cli', False, name == 'password_eq' and not set(p) & set('#&?'), tpl.format(p=p), [p])

SQL_FORMS = [
    ("ERROR: syntax error at or near \"LOGIN\" in CREATE ROLE app WITH LOGIN PASSWORD '{p}'", 'password_lit'),
    ("ALTER ROLE app PASSWORD '{p}' VALID UNTIL 'infinity' failed: permission denied", 'password_lit'),
    ("CREATE USER 'app'@'%' IDENTIFIED BY '{p}' failed: Operation CREATE USER failed", 'identified_by'),
    ("ALTER USER app IDENTIFIED BY \"{p}\" REPLACE old: ORA-28007", 'identified_by'),
    ("SET PASSWORD FOR 'app'@'localhost' = '{p}': ERROR 1133", 'set_password'),
    ("CREATE ROLE sync ENCRYPTED PASSWORD '{p}' NOINHERIT: role already exists", 'password_lit'),
    ("statement: CREATE USER MAPPING FOR app SERVER remote OPTIONS (user 'app', password '{p}')", 'password_lit'),
    ("GRANT ALL ON *.* TO 'admin'@'%' IDENTIFIED BY '{p}' WITH GRANT OPTION", 'identified_by'),
    ("CREATE LOGIN sync WITH PASSWORD = '{p}', CHECK_POLICY = OFF failed", 'password_lit'),
]
for tpl, name in SQL_FORMS:
    for _ in range(25):
        p = password().replace("'", '')
        add('sql', name, 'sql', False, False, tpl.format(p=p), [p])

URL_FORMS = [
    ("could not connect to postgres://app:{p}@db.internal:5432/app", 'url_at', True),
    ("mysql://root:{p}@db/app: Access denied", 'url_at', True),
    ("amqp://guest:{p}@rabbit:5672/%2F connection reset", 'url_at', True),
    ("redis://:{p}@cache:6379/0 NOAUTH", 'url_at', True),
    ("mongodb+srv://app:{p}@cluster0.abcde.mongodb.net/?retryWrites=true failed", 'url_at', True),
    ("jdbc:postgresql://db:5432/app?user=app&password={p}&ssl=true: FATAL password authentication failed", 'jdbc', True),
    ("jdbc:sqlserver://db:1433;databaseName=app;user=sa;password={p};encrypt=true: Login failed", 'jdbc', True),
    ("jdbc:mysql://db:3306/app?user=app&password={p}&useSSL=false: Communications link failure", 'jdbc', True),
    ("jdbc:oracle:thin:app/{p}@db:1521/ORCL: ORA-01017", 'jdbc_thin', False),
]
for tpl, name, letter in URL_FORMS:
    for _ in range(25):
        p = password()
        if name == 'url_at' and rnd.random() < 0.6:
            # passwords with '@', "'" and other legal characters
            p = p[:5] + rnd.choice(['@', "'", '@!', "'@", '#@', '%40']) + p[5:]
            letter = letter and '#' not in p and "'" not in p and '@' not in p
        add('urls', name, 'url', False, letter, tpl.format(p=p), [p])


def pem_body(kind):
    label = {'rsa': 'RSA PRIVATE KEY', 'ec': 'EC PRIVATE KEY', 'pkcs8': 'PRIVATE KEY',
             'enc': 'ENCRYPTED PRIVATE KEY', 'openssh': 'OPENSSH PRIVATE KEY',
             'dsa': 'DSA PRIVATE KEY', 'pgp': 'PGP PRIVATE KEY BLOCK'}[kind]
    lines = [mixed(B64, 64) for _ in range(rnd.randint(3, 8))] + [mixed(B64, rnd.randint(10, 60)) + '==']
    return label, lines


for kind in ['rsa', 'ec', 'pkcs8', 'enc', 'openssh', 'dsa', 'pgp']:
    for wrap in ['newlines', 'json_escaped', 'spaces', 'quoted', 'crlf', 'cut_off']:
        for _ in range(6):
            label, lines = pem_body(kind)
            head, foot = '-----BEGIN %s-----' % label, '-----END %s-----' % label
            if wrap == 'newlines':
                block = '\n'.join([head] + lines + [foot])
                msg = 'could not load key:\n' + block + '\nerror: bad decrypt'
            elif wrap == 'json_escaped':
                block = '\\n'.join([head] + lines + [foot]) + '\\n'
                msg = 'service account JSON rejected: {"type": "service_account", "private_key": "%s", "client_email": "sync@acme-prod.iam.gserviceaccount.com"}' % block
            elif wrap == 'spaces':
                msg = 'key: %s %s %s' % (head, ' '.join(lines), foot)
            elif wrap == 'quoted':
                msg = "ValueError: Could not deserialize key data: '%s'" % '\\n'.join([head] + lines + [foot])
            elif wrap == 'crlf':
                msg = 'ssh: ' + '\r\n'.join([head] + lines + [foot]) + '\r\n: no key found'
            else:
                msg = 'truncated key in log: %s\n%s' % (head, '\n'.join(lines[:3]))
                lines = lines[:3]
            add('pem', kind, 'pem', False, kind != 'pgp', msg, [l for l in lines if len(l) >= 8])

# ---- random keys that no format names, standing bare ----
RANDOM = [('base62_32', lambda: mixed(AN, 32)), ('base62_40', lambda: mixed(AN, 40)),
          ('base62_64', lambda: mixed(AN, 64)), ('base64_44', lambda: mixed(B64, 43) + '='),
          ('base64url_43', lambda: mixed(B64URL, 43)), ('base32_upper_52', lambda: r(B32, 52)),
          ('alnum_lower_52', lambda: mixed(LO + DI, 52))]
for name, gen in RANDOM:
    for _ in range(40):
        t = gen()
        msg = rnd.choice(BARE).format(t=t, w=rnd.choice(['the API', 'upstream', 'the broker']))
        add('random', name, 'bare', False, False, msg, [t])

for _ in range(60):
    t = mixed(AN + '-._~+/', rnd.randint(16, 40))
    tpl = rnd.choice(['401 (Authorization: Bearer {t})', 'Proxy-Authorization: Basic {t}',
                      'request with bearer {t} was refused'])
    add('bearer', 'bearer', 'header', False, True, tpl.format(t=t), [t])


# ---- personal data ----

def luhn_complete(prefix, length):
    digits = [int(c) for c in prefix] + [rnd.randint(0, 9) for _ in range(length - len(prefix) - 1)]
    for check in range(10):
        ds = digits + [check]
        total = 0
        for i, d in enumerate(reversed(ds)):
            if i % 2 == 1:
                d *= 2
                if d > 9:
                    d -= 9
            total += d
        if total % 10 == 0:
            return ''.join(map(str, ds))


def group(s, sizes, sep):
    out, i = [], 0
    for n in sizes:
        out.append(s[i:i + n])
        i += n
    return sep.join(x for x in out if x)


for brand, prefix, length, sizes in [('visa', '4', 16, [4, 4, 4, 4]), ('visa13', '4', 13, [4, 4, 5]),
                                     ('mastercard', '5' + str(rnd.randint(1, 5)), 16, [4, 4, 4, 4]),
                                     ('amex', '37', 15, [4, 6, 5]), ('diners', '36', 14, [4, 6, 4]),
                                     ('discover', '6011', 16, [4, 4, 4, 4]), ('unionpay19', '62', 19, [4, 4, 4, 4, 3])]:
    for _ in range(12):
        n = luhn_complete(prefix, length)
        sep = rnd.choice(['', ' ', '-'])
        shown = group(n, sizes, sep) if sep else n
        tpl = rnd.choice(['payment declined for card {c} (insufficient funds)',
                          'Stripe error: card_number={c} is invalid', 'charge failed: {{"card": "{c}", "exp": "04/27"}}',
                          'refund 8812 to {c} failed'])
        add('personal', 'card_' + brand, 'bare', False, False, tpl.format(c=shown), [shown])

IBAN_COUNTRIES = [('DE', 18, 'n'), ('GB', 18, 'gb'), ('FR', 23, 'n'), ('NL', 14, 'nl'), ('ES', 20, 'n'),
                  ('IT', 23, 'it'), ('CH', 17, 'n'), ('AT', 16, 'n'), ('BE', 12, 'n'), ('PL', 24, 'n')]


def iban(cc, n, kind):
    if kind == 'gb':
        bban = r(UP, 4) + r(DI, 14)
    elif kind == 'nl':
        bban = r(UP, 4) + r(DI, 10)
    elif kind == 'it':
        bban = r(UP, 1) + r(DI, 22)
    else:
        bban = r(DI, n)
    num = ''.join(str(int(c, 36)) for c in bban + cc + '00')
    check = 98 - int(num) % 97
    return cc + '%02d' % check + bban


for cc, n, kind in IBAN_COUNTRIES:
    for _ in range(8):
        v = iban(cc, n, kind)
        shown = ' '.join(v[i:i + 4] for i in range(0, len(v), 4)) if rnd.random() < 0.5 else v
        tpl = rnd.choice(['SEPA transfer rejected for IBAN {i}: account closed',
                          'payout failed (iban={i})', 'mandate {{"iban": "{i}", "bic": "COBADEFFXXX"}} invalid'])
        add('personal', 'iban', 'bare', False, False, tpl.format(i=shown), [shown])

for _ in range(40):
    area = rnd.choice([a for a in range(1, 900) if a != 666])
    v = '%03d-%02d-%04d' % (area, rnd.randint(1, 99), rnd.randint(1, 9999))
    tpl = rnd.choice(['W-2 import failed for SSN {s}', 'duplicate applicant (ssn: {s})', 'record {{"ssn": "{s}"}} rejected'])
    add('personal', 'us_ssn', 'bare', False, False, tpl.format(s=v), [v])

FIRST = ['jane', 'omar', 'li.wei', 'maria-jose', 'k.nakamura', 'anna_b', 'olu', 'sven.o']
DOMAINS = ['example.com', 'contoso.com', 'acme.co.uk', 'fabrikam.onmicrosoft.com', 'mail.example.org']
for _ in range(40):
    e = '%s%s@%s' % (rnd.choice(FIRST), rnd.choice(['', str(rnd.randint(1, 99))]), rnd.choice(DOMAINS))
    add('personal', 'email', 'bare', False, True,
        rnd.choice(['mail to {e} bounced: 550 mailbox unavailable', 'user {e} not found in directory',
                    'Graph: Resource \'{e}\' does not exist']).format(e=e), [e])
INTL = ['jöran.müller@beispiel.de', 'δοκιμή@παράδειγμα.δοκιμή', '用户@例子.广告', 'иван@пример.рф',
        'françois@société.fr', 'søren@eksempel.dk', 'josé.garcía@ejemplo.es', 'ałicja@przykład.pl',
        'अजय@डाटा.भारत', 'chloë+news@exämple.com']
for e in INTL:
    for tpl in ['mail to {e} bounced: 550 5.1.1', 'invite for {e} failed', '{{"mail": "{e}", "id": 7}} rejected']:
        add('personal', 'email_intl', 'bare', False, False, tpl.format(e=e), [e])
for _ in range(30):
    local = '%s_%s' % (rnd.choice(FIRST).replace('.', ''), rnd.choice(['gmail.com', 'outlook.com', 'fabrikam.com', 'yahoo.co.jp']))
    e = '%s#EXT#@%s.onmicrosoft.com' % (local, rnd.choice(['contoso', 'acmeprod', 'northwind']))
    add('personal', 'email_guest', 'bare', False, False,
        rnd.choice(['Graph: Request_ResourceNotFound for {e}', 'guest {e} could not be added to group Sales',
                    "userPrincipalName eq '{e}' matched no user"]).format(e=e), [e])


def main():
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w', encoding='utf-8') as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + '\n')
    fams = {r['format'] for r in rows if r['named']}
    print('%d messages (%d named formats, %d personal) written to %s' % (
        len(rows), len(fams), sum(r['family'] == 'personal' for r in rows), os.path.relpath(OUT)),
        file=sys.stderr)


main()
