export { selectBackend, BACKEND_CHOICES, BackendUnavailableError, type BackendChoice, type ConcreteBackend } from './selectBackend.js';
