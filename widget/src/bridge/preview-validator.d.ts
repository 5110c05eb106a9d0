// Generated at build time by preview-validator-plugin.ts (ajv standalone code).
declare module 'virtual:flexchat-preview-validator' {
  export interface PreviewSchemaError {
    instancePath: string;
    keyword: string;
    params: Record<string, unknown>;
    message?: string;
  }
  export interface PreviewSchemaValidator {
    (data: unknown): boolean;
    errors?: PreviewSchemaError[] | null;
  }
  const validate: PreviewSchemaValidator;
  export default validate;
}
