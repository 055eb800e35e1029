/** The chat page behind the local host's App Service Authentication, with `NegotiateAuth=easyauth npm start`. */
import { describeEasyAuthChat } from '../../support/easyauth-chat-scenario';
import { startStack } from '../../support/stack';

describeEasyAuthChat('chat page behind App Service Authentication (npm start, NegotiateAuth=easyauth)', async () => {
  const stack = await startStack({ NegotiateAuth: 'easyauth' });
  return {
    functionsBase: stack.functionsBase,
    stop: async () => {
      const exit = await stack.stop('SIGINT');
      expect(exit.code).toBe(0);
    },
  };
});
