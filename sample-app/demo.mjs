// The sample app and its pay → notify → refund walk-through arrive with the sample-app issue;
// until then this says so instead of failing.
console.log(
  'nestjs-wechatpay demo: the sample app and its walk-through against WechatPaySimulator are not built yet.\n' +
    'Run `npm test` to see what works today.',
);
