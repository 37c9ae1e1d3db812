// The one build serves every stage: where the API and Cognito are comes from config.json beside
// index.html (written by make dev locally, by the CDK deployment in AWS), never from the build.
let loaded = null;

export async function loadConfig() {
  // index.html preloads it (in parallel with the script); it is served with no-cache, so a new
  // deployment's config is always revalidated.
  const response = await fetch(`${import.meta.env.BASE_URL}config.json`);
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  const config = await response.json();
  for (const key of ['apiUrl', 'cognito']) {
    if (!config[key]) throw new Error(`config.json has no ${key}`);
  }
  loaded = {
    pollSeconds: 3,
    languages: ['hi', 'en'],
    ...config,
    apiUrl: config.apiUrl.replace(/\/+$/, ''),
  };
  return loaded;
}

export function config() {
  if (!loaded) throw new Error('config.json not loaded yet');
  return loaded;
}
