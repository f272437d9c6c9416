/** Template fragments shared by the entry-script templates. */
import { binding } from './names';

/** init()'s tail when the script takes a model: parse --model, load it once per worker. */
export function modelLoadingInit(): string {
  return `    parser.add_argument("--model", required=True, help="model folder or file (program_arguments: --model ${binding('inputs.model')})")
    g_args, _unknown = parser.parse_known_args()

    g_model = load_model(g_args.model)
    EntryScript().logger.info("init: loaded the model from %s", g_args.model)


def load_model(model_path):
    """Loads the model once per worker. Replace the body with your framework's loader."""
    # A uri_folder input arrives as the folder's path (mounted or downloaded in the cloud), e.g.
    # joblib.load(os.path.join(model_path, "model.pkl")) or onnxruntime.InferenceSession(model_path).
    return model_path`;
}
