// The deployment config as the code sees it after validation and defaults.
// config/schema.json is the contract for the JSON file; keep both in step.

export type FieldType = 'text' | 'email' | 'tel' | 'textarea' | 'select' | 'radio' | 'checkbox' | 'hidden';

export interface FieldOption {
  value: string;
  label: string;
}

export interface FormField {
  name: string;
  type: FieldType;
  label: string;
  placeholder?: string;
  description?: string;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  errorText?: string;
  defaultValue?: string | boolean;
  options?: FieldOption[];
}

export interface PreEngagementConfig {
  title?: string;
  description?: string;
  submitLabel?: string;
  friendlyNameField?: string;
  unknownFields?: 'reject' | 'strip';
  fields: FormField[];
}

export interface ThemeConfig {
  primaryColor?: string;
  mode?: 'light' | 'dark' | 'auto';
}

export interface LauncherConfig {
  position?: 'left' | 'right';
  offsetX?: number;
  offsetY?: number;
  zIndex?: number;
  label?: string;
  /** CSS selector of host-page elements that open the chat too (custom launchers). */
  selector?: string;
  hideDefaultLauncher?: boolean;
  /** Viewport width (px) up to which the panel is full screen; default 480. */
  mobileBreakpoint?: number;
}

export interface TextsConfig {
  title?: string;
  composerPlaceholder?: string;
  sendLabel?: string;
  connecting?: string;
  closeLabel?: string;
  agentFallbackName?: string;
  errorGeneric?: string;
  retryLabel?: string;
}

export interface DeploymentConfig {
  widgetOrigin: string;
  tokenUrl: string;
  allowedDomains: string[];
  locale?: string;
  theme?: ThemeConfig;
  launcher?: LauncherConfig;
  /** When the loader creates the iframe: first intent (default) or idle time after load. */
  prefetch?: 'intent' | 'idle';
  texts?: TextsConfig;
  preEngagement: PreEngagementConfig;
}
