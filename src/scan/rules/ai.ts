/**
 * AI model providers: OpenAI, Anthropic, Hugging Face, Cohere, Replicate, Groq, Perplexity, Mistral, xAI,
 * DeepSeek, Together, OpenRouter, Fireworks, LangSmith. Google Gemini keys are `AIza` Google API keys, which
 * the cloud rules cover.
 */
import { keyedPrefix } from './_patterns.ts';
import { ALPHABETS, type Gen } from './gen.ts';
import type { RuleSpec } from './types.ts';

// `T3BlbkFJ` is base64 for "OpenAI": OpenAI writes it into the middle of every key it issues.
const OPENAI_MARKER = 'T3BlbkFJ';

/** A current OpenAI key: `sk-<kind>-`, random base64url on both sides of the marker. */
function openaiKey(
  id: string,
  kind: string,
  description: string,
  docs: string,
  line: (key: string) => string,
): RuleSpec {
  return {
    id,
    description,
    category: 'ai',
    keywords: [`sk-${kind}-`],
    pattern: new RegExp(`(?<![A-Za-z0-9_-])(?<secret>sk-${kind}-[A-Za-z0-9_-]{40,300})(?![A-Za-z0-9_-])`),
    validate: (secret) => secret.includes(OPENAI_MARKER),
    docs,
    samples: {
      positive: (gen) => {
        const half = gen.pick([58, 74]);
        return line(`sk-${kind}-${gen.base64url(half)}${OPENAI_MARKER}${gen.base64url(half)}`);
      },
      // The right prefix and a plausible length, but not issued by OpenAI: no marker.
      negative: (gen) => line(`sk-${kind}-${gen.base64url(48)}`),
    },
  };
}

/** Random letters in both cases, as Hugging Face issues them. */
function mixedLetters(gen: Gen, length: number): string {
  return `${gen.upper(1)}${gen.lower(1)}${gen.chars(ALPHABETS.letters, length - 2)}`;
}

export const aiRules: RuleSpec[] = [
  openaiKey(
    'openai-project-key',
    'proj',
    'OpenAI project API key',
    'https://platform.openai.com/docs/api-reference/authentication',
    (key) => `OPENAI_API_KEY=${key}`,
  ),
  openaiKey(
    'openai-service-account-key',
    'svcacct',
    'OpenAI service account API key',
    'https://platform.openai.com/docs/api-reference/project-service-accounts',
    (key) => `client = OpenAI(api_key="${key}")`,
  ),
  openaiKey(
    'openai-admin-key',
    'admin',
    'OpenAI admin API key',
    'https://platform.openai.com/docs/api-reference/admin-api-keys',
    (key) => `curl https://api.openai.com/v1/organization/users -H "Authorization: Bearer ${key}"`,
  ),
  {
    id: 'openai-legacy-api-key',
    description: 'OpenAI user API key (legacy format)',
    category: 'ai',
    keywords: ['t3blbkfj'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
    docs: 'https://platform.openai.com/docs/api-reference/authentication',
    samples: {
      positive: (gen) => `openai.api_key = "sk-${gen.alnum(20)}T3BlbkFJ${gen.alnum(20)}"`,
      negative: (gen) => `openai.api_key = "sk-${gen.alnum(48)}"`,
    },
  },
  {
    id: 'anthropic-api-key',
    description: 'Anthropic API key',
    category: 'ai',
    keywords: ['sk-ant-api03-'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>sk-ant-api03-[A-Za-z0-9_-]{93}AA)(?![A-Za-z0-9_-])/,
    minEntropy: 4,
    docs: 'https://docs.anthropic.com/en/api/overview',
    samples: {
      positive: (gen) => `ANTHROPIC_API_KEY=sk-ant-api03-${gen.base64url(93)}AA`,
      negative: (gen) => `ANTHROPIC_API_KEY=sk-ant-api03-${gen.base64url(40)}`,
    },
  },
  {
    id: 'anthropic-admin-key',
    description: 'Anthropic Admin API key',
    category: 'ai',
    keywords: ['sk-ant-admin01-'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>sk-ant-admin01-[A-Za-z0-9_-]{93}AA)(?![A-Za-z0-9_-])/,
    minEntropy: 4,
    docs: 'https://docs.anthropic.com/en/api/administration-api',
    samples: {
      positive: (gen) =>
        `curl https://api.anthropic.com/v1/organizations/users -H "x-api-key: sk-ant-admin01-${gen.base64url(93)}AA"`,
      negative: (gen) => `-H "x-api-key: sk-ant-admin01-${gen.base64url(93)}"`,
    },
  },
  {
    id: 'huggingface-access-token',
    description: 'Hugging Face user access token',
    category: 'ai',
    keywords: ['hf_'],
    pattern:
      /(?<![A-Za-z0-9_-])(?<secret>hf_(?=[A-Za-z]{0,33}[A-Z])(?=[A-Za-z]{0,33}[a-z])[A-Za-z]{34})(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
    docs: 'https://huggingface.co/docs/hub/security-tokens',
    samples: {
      positive: (gen) => `HF_TOKEN=hf_${mixedLetters(gen, 34)}`,
      // Library identifiers share the prefix; tokens never contain an underscore after it.
      negative: (gen) =>
        gen.pick([`from huggingface_hub import hf_hub_download`, `HF_TOKEN=hf_${mixedLetters(gen, 20)}`]),
    },
  },
  {
    id: 'huggingface-org-token',
    description: 'Hugging Face organization API token (legacy)',
    category: 'ai',
    keywords: ['api_org_'],
    pattern:
      /(?<![A-Za-z0-9_-])(?<secret>api_org_(?=[A-Za-z]{0,33}[A-Z])(?=[A-Za-z]{0,33}[a-z])[A-Za-z]{34})(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
    docs: 'https://huggingface.co/docs/hub/security-tokens',
    samples: {
      positive: (gen) => `token: api_org_${mixedLetters(gen, 34)}`,
      negative: (gen) => `token: api_org_${gen.lower(34)}`,
    },
  },
  {
    id: 'cohere-api-key',
    description: 'Cohere API key',
    category: 'ai',
    keywords: ['cohere', 'co_api_key'],
    pattern: new RegExp(
      `(?:${keyedPrefix('cohere', '(?:key|token|secret)')}|(?<![A-Za-z0-9])co_api_key["']?\\s{0,5}[:=]\\s{0,5}["']?)(?<secret>[A-Za-z0-9]{40})(?![A-Za-z0-9_])`,
      'i',
    ),
    minEntropy: 4,
    docs: 'https://docs.cohere.com/reference/about',
    samples: {
      positive: (gen) =>
        gen.pick([`CO_API_KEY=${gen.alnum(40)}`, `co = cohere.ClientV2(api_key="${gen.alnum(40)}")`]),
      negative: (gen) => `COHERE_MODEL=command-r-plus\nCOHERE_API_KEY=${gen.alnum(20)}`,
    },
  },
  {
    id: 'replicate-api-token',
    description: 'Replicate API token',
    category: 'ai',
    keywords: ['r8_'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>r8_[A-Za-z0-9]{37})(?![A-Za-z0-9_-])/,
    minEntropy: 4,
    docs: 'https://replicate.com/docs/topics/security/api-tokens',
    samples: {
      positive: (gen) => `export REPLICATE_API_TOKEN=r8_${gen.alnum(37)}`,
      negative: (gen) => `export REPLICATE_API_TOKEN=r8_${gen.alnum(20)}`,
    },
  },
  {
    id: 'groq-api-key',
    description: 'Groq API key',
    category: 'ai',
    keywords: ['gsk_'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>gsk_[A-Za-z0-9]{52})(?![A-Za-z0-9_-])/,
    minEntropy: 4,
    docs: 'https://console.groq.com/docs/quickstart',
    samples: {
      positive: (gen) => `GROQ_API_KEY=gsk_${gen.alnum(52)}`,
      negative: (gen) => `GROQ_API_KEY=gsk_${gen.alnum(30)}`,
    },
  },
  {
    id: 'perplexity-api-key',
    description: 'Perplexity API key',
    category: 'ai',
    keywords: ['pplx-'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>pplx-[A-Za-z0-9]{48})(?![A-Za-z0-9_-])/,
    minEntropy: 4,
    docs: 'https://docs.perplexity.ai/guides/getting-started',
    samples: {
      positive: (gen) => `PERPLEXITY_API_KEY="pplx-${gen.alnum(48)}"`,
      negative: (gen) => `PERPLEXITY_API_KEY="pplx-${gen.alnum(24)}"`,
    },
  },
  {
    id: 'mistral-api-key',
    description: 'Mistral AI API key',
    category: 'ai',
    keywords: ['mistral'],
    pattern: new RegExp(
      `${keyedPrefix('mistral', '(?:key|token|secret)')}(?<secret>[A-Za-z0-9]{32})(?![A-Za-z0-9_])`,
      'i',
    ),
    minEntropy: 3.8,
    docs: 'https://docs.mistral.ai/getting-started/quickstart/',
    samples: {
      positive: (gen) => `MISTRAL_API_KEY=${gen.alnum(32)}`,
      negative: (gen) => `MISTRAL_MODEL=mistral-large-latest\nMISTRAL_API_KEY=${gen.alnum(16)}`,
    },
  },
  {
    id: 'xai-api-key',
    description: 'xAI (Grok) API key',
    category: 'ai',
    keywords: ['xai-'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>xai-[A-Za-z0-9]{80})(?![A-Za-z0-9_-])/,
    minEntropy: 4.5,
    docs: 'https://docs.x.ai/docs/overview',
    samples: {
      positive: (gen) => `XAI_API_KEY=xai-${gen.alnum(80)}`,
      negative: (gen) => `XAI_API_KEY=xai-${gen.alnum(40)}`,
    },
  },
  {
    id: 'deepseek-api-key',
    description: 'DeepSeek API key',
    category: 'ai',
    keywords: ['deepseek'],
    pattern: new RegExp(
      `${keyedPrefix('deepseek', '(?:key|token|secret)')}(?<secret>sk-[0-9a-f]{32})(?![A-Za-z0-9_-])`,
      'i',
    ),
    minEntropy: 3,
    docs: 'https://api-docs.deepseek.com/',
    samples: {
      positive: (gen) => `DEEPSEEK_API_KEY=sk-${gen.hex(32)}`,
      negative: (gen) => `DEEPSEEK_BASE_URL=https://api.deepseek.com\nOPENAI_API_KEY=sk-${gen.hex(32)}`,
    },
  },
  {
    id: 'together-api-key',
    description: 'Together AI API key',
    category: 'ai',
    keywords: ['tgp_v1_', 'together'],
    // `tgp_v1_` keys stand alone; the older 64-hex keys count only when assigned to a Together variable.
    pattern: new RegExp(
      `(?:${keyedPrefix('together', '(?:key|token|secret)')}|(?<![A-Za-z0-9_-])(?=tgp_v1_))(?<secret>tgp_v1_[A-Za-z0-9_-]{43}|[0-9a-f]{64})(?![A-Za-z0-9_-])`,
      'i',
    ),
    minEntropy: 3.5,
    docs: 'https://docs.together.ai/docs/quickstart',
    samples: {
      positive: (gen) =>
        gen.pick([
          `client = Together(api_key="tgp_v1_${gen.base64url(43)}")`,
          `TOGETHER_API_KEY=${gen.hex(64)}`,
        ]),
      // A 64-hex value elsewhere is a digest, not a Together key.
      negative: (gen) => `together with the checksum below\nsha256=${gen.hex(64)}`,
    },
  },
  {
    id: 'openrouter-api-key',
    description: 'OpenRouter API key',
    category: 'ai',
    keywords: ['sk-or-v1-'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>sk-or-v1-[0-9a-f]{64})(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
    docs: 'https://openrouter.ai/docs/api-reference/authentication',
    samples: {
      positive: (gen) => `OPENROUTER_API_KEY=sk-or-v1-${gen.hex(64)}`,
      negative: (gen) => `OPENROUTER_API_KEY=sk-or-v1-${gen.hex(32)}`,
    },
  },
  {
    id: 'fireworks-api-key',
    description: 'Fireworks AI API key',
    category: 'ai',
    keywords: ['fw_'],
    pattern:
      /(?<![A-Za-z0-9_-])(?<secret>fw_(?=[A-Za-z0-9]{0,23}[A-Z])(?=[A-Za-z0-9]{0,23}[a-z])[A-Za-z0-9]{24})(?![A-Za-z0-9_-])/,
    minEntropy: 3.8,
    docs: 'https://docs.fireworks.ai/api-reference/introduction',
    samples: {
      positive: (gen) => `FIREWORKS_API_KEY=fw_${gen.upper(1)}${gen.lower(1)}${gen.alnum(22)}`,
      // Firmware identifiers in C share the prefix.
      negative: (gen) => `static int fw_${gen.lower(8)}_${gen.lower(6)}(struct device *dev);`,
    },
  },
  {
    id: 'langsmith-api-key',
    description: 'LangSmith personal access token or service key',
    category: 'ai',
    keywords: ['lsv2_pt_', 'lsv2_sk_'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>lsv2_(?:pt|sk)_[0-9a-f]{32}_[0-9a-f]{10})(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    docs: 'https://docs.smith.langchain.com/administration/how_to_guides/organization_management/create_account_api_key',
    samples: {
      positive: (gen) =>
        `os.environ["LANGSMITH_API_KEY"] = "lsv2_${gen.pick(['pt', 'sk'])}_${gen.hex(32)}_${gen.hex(10)}"`,
      negative: (gen) => `os.environ["LANGSMITH_API_KEY"] = "lsv2_pt_${gen.hex(32)}_${gen.hex(6)}"`,
    },
  },
];
