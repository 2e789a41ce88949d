import { PrescoreError } from '../errors/index.js';

/**
 * Turns onnxruntime's reason for refusing a model into an error that says
 * what to do. onnxruntime reports every load failure as one message string,
 * so its wording is the only signal there is; the patterns below are those of
 * onnxruntime 1.30 (`model_load_utils.h` for opsets, `string_normalizer.cc`
 * for locales), and anything else stays MODEL_LOAD_FAILED with the runtime's
 * own words. Returns MODEL_UNSUPPORTED_OPSET, MODEL_LOCALE_MISSING or
 * MODEL_LOAD_FAILED.
 */
export function loadFailure(reason: string, file: string, cause: unknown): PrescoreError {
  const opset = /Opset (\d+) is under development.*official support for domain (\S+) is till opset (\d+)/s.exec(reason);
  if (opset) {
    const [, version, domain, supported] = opset;
    return new PrescoreError('MODEL_UNSUPPORTED_OPSET', `The model imports opset ${version} of domain ${domain}, and this onnxruntime supports ${domain} up to opset ${supported}`, {
      file,
      hint: `Re-export it with target opset ${supported} or lower (skl2onnx/onnxmltools: target_opset=${supported}; torch.onnx.export: opset_version=${supported})`,
      cause,
    });
  }
  const locale = /Failed to construct locale with name:\s*([^:\s]+)/.exec(reason);
  if (locale) {
    const name = locale[1]!;
    const [language, charset = 'UTF-8'] = name.split('.');
    return new PrescoreError('MODEL_LOCALE_MISSING', `The model's StringNormalizer needs the ${name} locale, which this machine does not have`, {
      file,
      hint: `Install it where prescore runs (Debian/Ubuntu, in a Dockerfile too: apt-get install -y locales && localedef -i ${language} -f ${charset} ${name}; check with locale -a). Without root: localedef -i ${language} -f ${charset} ~/.locale/${name}, then run prescore with LOCPATH=~/.locale`,
      cause,
    });
  }
  return new PrescoreError('MODEL_LOAD_FAILED', `onnxruntime could not load the model: ${reason}`, {
    file,
    hint: 'Run `prescore inspect` on it; re-export with a supported opset, or install what the message names',
    cause,
  });
}
