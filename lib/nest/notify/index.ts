export * from './notify-exception.js';
export * from './notify-exception.filter.js';
export * from './notify.guard.js';
export * from './raw-body.js';
export * from './wechat-notify.decorator.js';
export * from './wechat-notify.options.js';
export * from './wechat-payload.decorator.js';
